"""Forum engines behind one interface (``miner.sources.base``)."""
