"""miner: turn forum threads about messengers into a living FAQ."""

__version__ = "0.1.0"
