import numpy as np

from miner.constraints import apply_corrections, resolve
from miner.identity import keep_members, match_groups


def test_continue_birth_merge_split_retire():
    old = {1: {"a", "b", "c"}, 2: {"d", "e", "f"}, 3: {"g", "h", "i", "j"}, 4: {"k", "l", "m"}, 5: {"x", "y", "z"}}
    new = {0: {"a", "b", "c", "n"},            # continues 1 (+ a new question)
           1: {"d", "e", "f", "g", "h", "i", "j"},  # 2 and 3 together; 3 brings more questions
           2: {"k", "l"}, 3: {"m", "o", "p"},  # 4 split in two
           4: {"q", "r", "s"}}                 # birth; 5 dissolved
    result = match_groups(old, new, next_id=10)
    assert result.ids[0] == 1
    assert result.ids[1] == 3  # mutual best: 3 gave 4 of 7, and all of 3 went to group 1
    assert result.ids[2] == 4
    assert result.ids[3] == 10 and result.ids[4] == 11
    events = {(e["faq_id"], e["event"]): e["other_faqs"] for e in result.events}
    assert events[(4, "split")] == [10]
    assert {kind for _, kind in events} == {"birth", "split"}  # ended entries: the FAQ step writes their event
    assert events[(10, "birth")] == [4] and events[(11, "birth")] == []
    assert result.retired == {2: [3], 5: []}


def test_centroid_similarity_continues_an_entry_whose_questions_all_changed():
    old = {7: {"a", "b", "c"}}
    new = {0: {"x", "y", "z"}}
    close = {7: np.array([1.0, 0.0])}
    result = match_groups(old, new, next_id=8, old_centroids=close, new_centroids={0: np.array([0.95, 0.31])})
    assert result.ids[0] == 7
    result = match_groups(old, new, next_id=8, old_centroids=close, new_centroids={0: np.array([0.0, 1.0])})
    assert result.ids[0] == 8 and result.retired == {7: []}


def test_keep_members_prefers_the_previous_entry_within_margin():
    labels = {"a": 2, "b": 2}
    previous = {"a": 1, "b": 1}
    sims = {"a": {1: 0.60, 2: 0.62}, "b": {1: 0.40, 2: 0.80}}
    assert keep_members(labels, previous, sims) == {"a": 1, "b": 2}


def test_corrections_replay_in_order():
    labels = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3, "f": 3, "g": None}
    corrections = [
        {"id": 1, "kind": "rename", "faq_id": 1, "value": "Titel"},
        {"id": 2, "kind": "move", "faq_id": 2, "question": "a"},
        {"id": 3, "kind": "merge", "faq_id": 2, "other_faq_id": 3, "value": '["e", "f"]'},
        {"id": 4, "kind": "not_faq_question", "question": "d"},
        {"id": 5, "kind": "split", "faq_id": 2, "other_faq_id": 9, "value": '["c"]'},
        {"id": 6, "kind": "not_faq", "faq_id": 1, "value": '["b"]'},
    ]
    applied = apply_corrections(labels, corrections, {1: "active", 2: "active", 3: "active"}, {})
    assert applied.labels == {"a": 2, "b": 1, "c": 9, "d": None, "e": 2, "f": 2, "g": None}
    assert applied.titles == {1: "Titel"}
    assert applied.status[3] == "retired" and applied.successors[3] == [2]
    assert applied.status[1] == "not_faq" and applied.status[9] == "active"


def test_merge_steers_a_regrown_group_back():
    # last week the editor merged 3 into 2; this week the clusterer forms e, f, h again as a new group 7
    labels = {"c": 2, "e": 7, "f": 7, "h": 7}
    corrections = [{"id": 1, "kind": "merge", "faq_id": 2, "other_faq_id": 3, "value": '["e", "f"]'}]
    applied = apply_corrections(labels, corrections, {2: "active", 3: "retired"}, {3: [2]})
    assert applied.labels == {"c": 2, "e": 2, "f": 2, "h": 2}


def test_resolve_follows_successors():
    assert resolve(3, {3: "retired", 4: "retired", 5: "active"}, {3: [4], 4: [5]}) == 5
    assert resolve(3, {3: "retired", 4: "retired"}, {3: [4], 4: [3]}) in (3, 4)  # a cycle does not hang


def test_answered_entry_gets_its_members_back_when_re_mining_dissolved_it():
    from miner.identity import keep_answered

    labels = {"a1": 7, "a2": None, "a3": 9, "b1": 9, "c1": None, "gone": None}
    previous = {"a1": 1, "a2": 1, "a3": 1, "b1": 9, "c1": 2, "x": 1}  # x is no longer a relevant question
    kept = keep_answered(labels, previous, answered={1, 9})
    assert kept == {"a1": 1, "a2": 1, "a3": 1, "b1": 9, "c1": None, "gone": None}
    assert keep_answered(labels, previous, answered={2}) == {**labels, "c1": 2}
    still_there = {"a1": 1, "a2": None, "a3": 9}
    assert keep_answered(still_there, previous, answered={1}) == still_there  # it lives on: nothing to restore
