"""bot.serve (Rasa with deferred TensorFlow and a cached response validator) and the intent
classifier stored without skops: they change when work is done, never what is answered."""
import json
import math
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from bot import serve
from tests.conftest import ROOT


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """heavy/ (a package whose import is recorded in a log file) with a submodule heavy.sub."""
    log = tmp_path / "ran.txt"
    pkg = tmp_path / "heavy"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(textwrap.dedent(f"""
        open({str(log)!r}, "a").write("heavy\\n")
        VALUE = 42
        def __getattr__(name):  # a PEP 562 hook of the module's own
            if name == "dynamic":
                return "from the module's __getattr__"
            raise AttributeError(name)
        """), encoding="utf-8")
    (pkg / "sub.py").write_text(f'open({str(log)!r}, "a").write("sub\\n")\nX = 1\n', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    finder = serve._DeferringFinder(["heavy"])
    sys.meta_path.insert(0, finder)
    yield log
    sys.meta_path.remove(finder)
    for name in ("heavy", "heavy.sub"):
        sys.modules.pop(name, None)


def ran(log):
    return log.read_text().split() if log.exists() else []


def test_a_deferred_module_runs_on_first_attribute_read(fake_package):
    import heavy
    assert ran(fake_package) == []            # imported, not run
    import heavy as again                     # a second import (reads __spec__) does not run it
    assert again is heavy and ran(fake_package) == []
    assert heavy.VALUE == 42                  # the first attribute read runs it, once
    assert heavy.VALUE == 42 and ran(fake_package) == ["heavy"]
    assert heavy.dynamic == "from the module's __getattr__"
    with pytest.raises(AttributeError):
        heavy.missing


def test_from_import_and_submodules_run_the_package_first(fake_package):
    from heavy import VALUE
    assert VALUE == 42 and ran(fake_package) == ["heavy"]
    import heavy.sub
    assert heavy.sub.X == 1 and ran(fake_package) == ["heavy", "sub"]


def test_a_submodule_import_runs_the_deferred_package_before_it(fake_package):
    import heavy.sub  # noqa: F401
    assert ran(fake_package) == ["heavy", "sub"]


def test_defer_imports_refuses_modules_already_imported():
    with pytest.raises(RuntimeError, match="already imported"):
        serve.defer_imports(["json"])


PATCHED = textwrap.dedent("""
    import json, sys
    from bot import serve
    serve.defer_imports()
    serve.patch_rasa()
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.engine.storage.storage import ModelMetadata
    action = RemoteAction("validate_company_form", None)
    out = {"valid": action._validate_action_result({"events": [], "responses": []})}
    try:
        action._validate_action_result({"events": [{"event": 7}], "responses": "no"})
        out["invalid"] = "accepted"
    except ValidationError as e:
        out["invalid"] = e.message
    out["tensorflow_ran"] = "tensorflow.python" in sys.modules
    out["train_utils_deferred"] = type(sys.modules["rasa.utils.train_utils"]).__name__
    print(json.dumps(out))
""")


def test_patched_rasa_validates_action_responses_as_before_without_tensorflow():
    r = subprocess.run([sys.executable, "-c", PATCHED], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["valid"] is True
    assert "Failed to validate Action server response" in out["invalid"]  # Rasa's own message
    assert out["tensorflow_ran"] is False
    assert out["train_utils_deferred"] == "_DeferredModule"


DOMAIN_LEFT_OUT = textwrap.dedent("""
    import json, sys
    from bot import serve
    serve.defer_imports()
    serve.patch_rasa()
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig
    domain = Domain.load("domain.yml").merge(Domain.from_dict({"actions": ["validate_some_other_form"]}))
    tracker = DialogueStateTracker.from_events("t", [], domain.slots)
    out = {}
    for selective in (True, False):
        endpoint = EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=selective)
        for name in ("validate_company_form", "validate_some_other_form", "action_answer_eligibility"):
            out[f"{name} {selective}"] = "domain" in RemoteAction(name, endpoint)._action_call_format(tracker, domain)
    print(json.dumps(out))
""")


def test_the_form_validation_call_carries_no_domain():
    # Rasa sends the whole domain to every validate_* action even with enable_selective_domain
    # (rasa/shared/core/domain.py, _collect_actions_which_explicitly_need_domain); ours reads none
    # of it, so domain.yml declares it `send_domain: false`: left out for it only, and only where
    # selective domain is on.
    r = subprocess.run([sys.executable, "-c", DOMAIN_LEFT_OUT], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out == {"validate_company_form True": False, "validate_some_other_form True": True,
                   "action_answer_eligibility True": False,
                   "validate_company_form False": True, "validate_some_other_form False": True,
                   "action_answer_eligibility False": True}


SAME_AS_RASA = textwrap.dedent("""
    import copy, json, sys
    from bot import serve
    serve.defer_imports()
    from rasa.core.actions.forms import FormAction
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event

    def subclasses(c):
        for s in c.__subclasses__():
            yield s
            yield from subclasses(s)
    names = sorted({c.type_name for c in subclasses(Event) if getattr(c, "type_name", None)}) + ["no_such_event"]

    def resolved(n):
        try:
            return Event.resolve_by_type(n).__name__
        except ValueError as e:  # Rasa's answer for a name no Event class has
            return "ValueError: " + str(e)
    domain = Domain.load("domain.yml")
    form = FormAction("company_form", None)
    before = {
        "events": [resolved(n) for n in names],
        "unique": sorted(form._create_unique_entity_mappings(domain)),
        "schema": LocalModelStorage.metadata_from_archive(sys.argv[1]).train_schema.as_dict(),
        "slots": [repr((type(c).__name__, sorted(vars(c).items(), key=str))) for c in map(copy.copy, domain.slots)],
    }
    serve.patch_rasa()
    serve.patch_rasa()  # a second call changes nothing
    domain2 = Domain.load("domain.yml")
    after = {
        "events": [resolved(n) for n in names],
        "unique": sorted(FormAction("company_form", None)._create_unique_entity_mappings(domain2)),
        "schema": LocalModelStorage.metadata_from_archive(sys.argv[1]).train_schema.as_dict(),
        "slots": [repr((type(c).__name__, sorted(vars(c).items(), key=str))) for c in map(copy.copy, domain.slots)],
    }
    copied = copy.copy(domain.slots[0])
    copied.value = "changed"  # a copy: the domain's slot keeps its value
    after["copy_is_separate"] = domain.slots[0].value != "changed"
    again = [resolved(n) for n in names]  # from the cache
    print(json.dumps({"before": before, "after": after, "again": again, "n_events": len(names),
                      "tensorflow_ran": "tensorflow.python" in sys.modules}))
""")


def test_the_cached_lookups_and_the_deferred_schema_give_what_rasa_gives(trained_model):
    """Fix 3 (Event classes by type name, a form's unique entity mappings, slot copies) and the training
    schema resolved on first use: the same results as Rasa's own code, in one process."""
    r = subprocess.run([sys.executable, "-c", SAME_AS_RASA, str(trained_model)], capture_output=True, text=True,
                       timeout=300, cwd=str(serve.__file__).rsplit("/bot/", 1)[0])
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["after"].pop("copy_is_separate") is True
    assert out["after"] == out["before"] and out["again"] == out["before"]["events"]
    assert out["n_events"] > 20 and out["before"]["events"][-1].startswith("ValueError")  # unknown stays unknown
    assert "UserUttered" in out["before"]["events"] and out["before"]["unique"]
    assert out["before"]["schema"]["nodes"]  # a real schema was compared


def test_patching_another_rasa_release_is_refused():
    code = ("import rasa.version; rasa.version.__version__ = '3.7.0'\n"
            "from bot import serve\ntry:\n    serve.patch_rasa()\nexcept RuntimeError as e:\n    print('refused:', e)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "refused: bot.serve patches Rasa 3.6.21, found 3.7.0" in r.stdout, r.stderr[-2000:]


def test_a_deferred_schema_copies_without_resolving():
    import copy
    d = serve._DeferredSchema({"nodes": {}})
    assert copy.deepcopy(d)._serialized == {"nodes": {}} and d._schema is None


def test_intent_probabilities_are_logistic_regressions():
    """softmax(x·Wᵀ + b) from the stored arrays is what scikit-learn's predict_proba gives."""
    from scipy.sparse import random as sparse_random
    from sklearn.linear_model import LogisticRegression
    from bot.components import IntentClassifier

    rng = np.random.default_rng(7)
    X = sparse_random(120, 40, density=0.2, format="csr", random_state=7)
    y = rng.choice(["greet", "inform", "deny", "affirm"], size=120)
    clf = LogisticRegression(max_iter=500, class_weight="balanced").fit(X, y)
    ours = IntentClassifier({}, None, None, list(clf.classes_), clf.coef_, clf.intercept_)
    np.testing.assert_allclose(ours.probabilities(X), clf.predict_proba(X), rtol=1e-9, atol=1e-12)


def test_the_served_model_never_loads_tensorflow(assistant):
    """After a conversation through the form and the answer actions, no TensorFlow library is
    mapped into the Rasa server process (that is where the 3-5 s went)."""
    assistant.text("serve-tf", "我们是临清的轴承企业，规上，能拿什么补贴")
    assistant.text("serve-tf", "不清楚")
    maps = open(f"/proc/{assistant.server.pid}/maps").read()
    assert "libtensorflow" not in maps


def test_block_by_block_scores_equal_the_stacked_features():
    """The classifier's fast path (features of each featurizer separately) computes exactly
    what it computes on the stacked feature matrix."""
    from scipy.sparse import coo_matrix
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message
    from bot.components import IntentClassifier

    rng = np.random.default_rng(3)
    widths = (7, 11)
    clf = IntentClassifier({}, None, None, ["a", "b", "c"], rng.normal(size=(3, sum(widths))), rng.normal(size=3))
    messages = []
    for _ in range(5):
        m = Message(data={"text": "x"})
        for origin, w in zip(("words", "chars"), widths):
            row = coo_matrix(rng.integers(0, 3, size=(1, w)).astype(float))
            m.add_features(Features(row, "sentence", "text", origin))
            m.add_features(Features(coo_matrix(np.ones((2, w))), "sequence", "text", origin))
        messages.append(m)
    fast = np.vstack([IntentClassifier._softmax(clf._scores(m)[None, :]) for m in messages])
    np.testing.assert_allclose(fast, clf.probabilities(clf._features(messages)), rtol=1e-12)
    clf.process(messages)
    for m, row in zip(messages, fast):
        assert m.get("intent")["name"] == "abc"[int(np.argmax(row))]


# -- the event-wise validator gives the same answer as Rasa's whole schema ------------------------
def _response_schema():
    from rasa.core.actions.action import RemoteAction
    import jsonschema
    spec = RemoteAction.action_response_format_spec()
    return spec, jsonschema.validators.validator_for(spec)


_EVENTS = [
    {"event": "slot", "name": "region", "value": "linqing", "timestamp": None},
    {"event": "slot", "name": "region"},  # no value: invalid
    {"event": "slot", "name": 5, "value": 1},  # a name that is not a string
    {"event": "bot", "text": "你好", "data": {"custom": {"huiqi_answer": "1.0"}}, "metadata": {}},
    {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
    {"event": "action", "name": "x", "hide_rule_turn": "yes"},  # not a boolean
    {"event": "active_loop", "name": "company_form"},
    {"event": "user", "text": "是", "parse_data": {"intent": {"name": "affirm", "confidence": 0.9},
                                                  "entities": [{"entity": "region", "value": "linqing", "start": 0}]}},
    {"event": "user", "text": "是", "parse_data": {"entities": [{"entity": "region"}]}},  # no value
    {"event": "entities", "entities": []},
    {"event": "entities"},  # required entities missing
    {"event": "no_such_event"},
    {"event": 7},
    {"name": "region", "value": 1},  # no event
    {"event": "slot", "name": "a", "value": 1, "timestamp": "soon"},  # a timestamp that is not a number
    {"event": "slot", "name": "a", "value": 1, "metadata": []},
    {"event": "followup", "name": "action_x"},
    {"event": "session_started"},
    "slot",
    None,
]


@pytest.mark.parametrize("k", range(len(_EVENTS)))
def test_event_wise_validation_answers_as_the_whole_schema_for_each_event(k):
    spec, cls = _response_schema()
    fast = serve.event_wise_validator(spec, cls)
    assert fast is not None  # Rasa's schema has the shape it relies on
    whole = cls(spec)
    for result in ({"events": [_EVENTS[k]], "responses": []}, {"events": [_EVENTS[0], _EVENTS[k]]}):
        assert fast(result) == whole.is_valid(result), result


def test_event_wise_validation_answers_as_the_whole_schema_for_other_shapes():
    spec, cls = _response_schema()
    fast, whole = serve.event_wise_validator(spec, cls), cls(spec)
    cases = [{}, {"events": []}, {"events": "no"}, {"events": None}, {"responses": "no"}, {"responses": [1]},
             {"responses": [{"text": "好"}], "events": [_EVENTS[3]]}, [], "x", None, 3,
             {"events": [_EVENTS[0]] * 5 + [_EVENTS[11]]}]
    answers = [whole.is_valid(c) for c in cases]
    assert [fast(c) for c in cases] == answers
    assert True in answers and False in answers


def test_event_wise_validator_declines_a_schema_of_another_shape():
    spec, cls = _response_schema()
    import copy
    changed = copy.deepcopy(spec)
    changed["properties"]["events"]["items"]["oneOf"][1]["properties"]["event"]["const"] = "user"  # two "user"
    assert serve.event_wise_validator(changed, cls) is None
    assert serve.event_wise_validator({"type": "object"}, cls) is None


def test_event_wise_validation_answers_as_the_whole_schema_for_random_events():
    from hypothesis import given, settings, strategies as st
    spec, cls = _response_schema()
    fast, whole = serve.event_wise_validator(spec, cls), cls(spec)
    consts = [b["properties"]["event"]["const"] for b in spec["properties"]["events"]["items"]["oneOf"]]
    scalar = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=3))
    value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.sampled_from(["name", "text", "entity", "value", "confidence"]), inner, max_size=3)),
                         max_leaves=6)
    keys = st.sampled_from(["name", "value", "text", "timestamp", "metadata", "policy", "confidence", "entities",
                            "parse_data", "hide_rule_turn", "input_channel", "data", "event"])
    event = st.builds(lambda e, rest: {**rest, **({"event": e} if e is not None else {})},
                      st.one_of(st.sampled_from(consts), st.none(), st.integers(0, 2), st.just("nope")),
                      st.dictionaries(keys.filter(lambda k: k != "event"), value, max_size=4))

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.one_of(event, scalar), max_size=4))
    def same(events):
        result = {"events": events, "responses": []}
        assert fast(result) == whole.is_valid(result)

    same()


def test_the_graph_runner_gives_what_dask_gives():
    import dask
    calls = []

    def node(name):
        def run(*inputs):
            calls.append(name)
            return (name, [name, *[i[1][0] if isinstance(i, tuple) else i for i in inputs]])
        return run

    def graph():
        return {"tok": (node("tok"), "__message__"), "feat": (node("feat"), "tok", "missing_node"),
                "intent": (node("intent"), "feat", "tok"), "ent": (node("ent"), "intent", "feat"),
                "__message__": ("__message__", [{"text": "临清"}]), "shared": (node("shared"),),
                "a": (node("a"), "shared"), "b": (node("b"), "shared", "a")}

    def needed(g, targets):  # as Rasa prunes a graph before running it (GraphSchema.minimal_graph_schema)
        keep = set()

        def visit(k):
            if k in g and k not in keep:
                keep.add(k)
                task = g[k]
                if callable(task[0]):
                    for a in task[1:]:
                        visit(a)
        for t in targets:
            visit(t)
        return {k: v for k, v in g.items() if k in keep}

    for targets in (["ent"], ["b", "ent"], ["a", "b"], ["intent", "tok"]):
        calls.clear()
        ours = serve.run_graph_tasks(needed(graph(), targets), targets)
        our_calls = sorted(calls)
        calls.clear()
        theirs = dask.get(needed(graph(), targets), targets)
        assert ours == tuple(theirs), targets
        assert our_calls == sorted(calls)  # each node once, the same ones
    assert serve.run_graph_tasks(graph(), ["__message__"]) == (("__message__", [{"text": "临清"}]),)


def test_utf8_json_is_the_same_json_value():
    value = {"text": "临清轴承企业 \"规上\"\n/inform{\"a\": 1}", "n": [1, 2.5, None, True, 1e-7], "空": {}}
    body = serve.utf8_json(value)
    assert json.loads(body.decode("utf-8")) == value == json.loads(json.dumps(value))
    assert "临清".encode("utf-8") in body  # not escaped
    assert serve.utf8_json({"text": "\ud800"}) is None  # what UTF-8 cannot carry: left to json.dumps
    # what ujson refuses or writes otherwise: the same JSON value as json.dumps all the same
    for odd in ({1: "a"}, {"big": 10 ** 30, "f": [0.1, 1 / 3, 2.5e300]}, {"url": "a/b"}):
        assert json.loads(serve.utf8_json(odd)) == json.loads(json.dumps(odd))
    assert math.isnan(json.loads(serve.utf8_json({"x": float("nan")}))["x"])  # (as json.dumps writes it)


def test_the_action_server_gets_every_event_it_reads():
    # Before the latest user message: user messages, actions and fact slots stay (the actions read
    # them: the previous values of corrected facts, the action before the message); bot replies and
    # earlier copies of last_awards / last_detail go. From the latest user message on: everything.
    # Earlier user messages keep their text and channel, not their parse data.
    parsed = {"intent": {"name": "ask_eligibility"}, "entities": [], "intent_ranking": [{"name": "ask_eligibility"}]}
    events = [
        {"event": "user", "timestamp": 1.0, "text": "我们能拿什么", "parse_data": parsed, "input_channel": "rest",
         "metadata": {"huiqi_structured": True}},
        {"event": "user_featurization", "use_text_for_featurization": False},
        {"event": "slot", "name": "region", "value": "linqing"},
        {"event": "action", "name": "action_answer_eligibility"},
        {"event": "bot", "text": "结果如下"}, {"event": "slot", "name": "last_awards", "value": {"a": 1}},
        {"event": "slot", "name": "last_detail", "value": "原文…"}, {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "详细", "parse_data": parsed, "input_channel": "rest"},
        {"event": "user_featurization", "use_text_for_featurization": False},
        {"event": "slot", "name": "last_awards", "value": {"a": 2}},
        {"event": "bot", "text": "原文…"},
    ]
    lean = serve.lean_events(events)
    assert lean == [{"event": "user", "timestamp": 1.0, "text": "我们能拿什么", "input_channel": "rest"}] \
        + [events[i] for i in (2, 3, 7, 8, 9, 10, 11)]
    assert serve.lean_events([]) == []


SAME_COPY = textwrap.dedent("""
    import copy, dataclasses, json, random, sys
    from bot import serve
    serve.defer_imports()
    from rasa.shared.core.domain import Domain
    from rasa.shared.core import events as ev
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
    domain = Domain.from_yaml('''
    version: "3.1"
    intents: [inform, ask_award]
    slots:
      region: {type: categorical, values: [linqing, qinghai], mappings: [{type: custom}]}
      above_scale: {type: bool, mappings: [{type: custom}]}
      rd_ratio: {type: float, mappings: [{type: custom}]}
      focus: {type: any, influence_conversation: false, mappings: [{type: custom}]}
      names: {type: list, mappings: [{type: custom}]}
      note: {type: text, initial_value: "x", mappings: [{type: custom}]}
    forms:
      company_form: {required_slots: [region]}
    ''')
    from rasa.core.actions.forms import FormAction
    original = DialogueStateTracker.copy
    original_past = DialogueStateTracker.past_states
    original_temporary = FormAction._temporary_tracker
    from rasa.core.actions.action import RemoteAction
    original_call = RemoteAction._action_call_format
    serve.patch_rasa()
    remote = RemoteAction("action_answer_eligibility", None)
    form = FormAction("company_form", None)
    fast = [0]  # temporary trackers made from a copy (fix 3f), not replayed
    copied = serve.copy_tracker

    def counted(t):
        fast[0] += 1
        return copied(t)
    serve.copy_tracker = counted

    def same_but_new_stamps(a, b):  # the form's own events are made anew by each call
        x, y = json.loads(state(a)), json.loads(state(b))
        for z in (x, y):
            z.pop("events")
            z["state"].pop("latest_event_time")
            for e in z["state"]["events"]:
                e.pop("timestamp")
        return x == y
    patched = DialogueStateTracker.copy
    assert patched is not original

    def said(e):  # an utterance as the tracker reads it (a reset makes new empty ones, stamped now)
        return [type(e).__name__, e.text, getattr(e, "data", None), getattr(e, "parse_data", None), e.metadata,
                None if e.text is None else e.timestamp]

    def state(t):
        return json.dumps({"state": t.current_state(EventVerbosity.ALL), "vars": {
            k: (said(v) if k in ("latest_message", "latest_bot_utterance") else
                repr(v) if k not in ("slots", "events") else None) for k, v in sorted(vars(t).items())},
            "slots": {n: sorted((k, repr(v)) for k, v in vars(s).items()) for n, s in t.slots.items()},
            "events": [id(e) for e in t.events], "type": type(t.slots).__name__}, sort_keys=True, default=repr)

    def event(r, t):
        kinds = [
            lambda: ev.UserUttered(r.choice(["临清", "规上", "/inform"]), {"name": r.choice(["inform", "ask_award"]), "confidence": 1.0},
                                   [{"entity": "region", "value": "linqing"}] if r.random() < .5 else [],
                                   parse_data={"text": "x", "intent": {"name": "inform"}, "entities": []}),
            lambda: ev.BotUttered("ok", {"buttons": []}),
            lambda: ev.SlotSet(r.choice(["region", "above_scale", "rd_ratio", "focus", "names", "note", "no_such"]),
                               r.choice([None, "linqing", True, 6.5, {"kind": "all"}, ["a"], "y"])),
            lambda: ev.ActionExecuted(r.choice(["action_listen", "company_form", "action_answer_eligibility"]),
                                      hide_rule_turn=r.random() < .2),
            lambda: ev.ActiveLoop(r.choice(["company_form", None])),
            lambda: ev.LoopInterrupted(r.random() < .5),
            lambda: ev.ActionExecutionRejected("company_form"),
            lambda: ev.FollowupAction("action_answer_eligibility"),
            lambda: ev.Restarted(), lambda: ev.AllSlotsReset(), lambda: ev.UserUtteranceReverted(),
            lambda: ev.ActionReverted(), lambda: ev.ConversationPaused(), lambda: ev.ConversationResumed(),
            lambda: ev.SessionStarted(), lambda: ev.EntitiesAdded([{"entity": "region", "value": "qinghai"}]),
            lambda: ev.DefinePrevUserUtteredFeaturization(r.random() < .5),
        ]
        return r.choice(kinds)()

    compared = past_compared = 0
    for seed in range(300):
        r = random.Random(seed)
        slots = domain.slots if seed % 10 else None  # (no domain: slots made up as they are set)
        t = DialogueStateTracker("s", slots, max_event_history=None if seed % 7 else 15)
        if seed % 3 == 0:
            t.model_id = "m1"
        for _ in range(r.randint(0, 60)):
            t.update(event(r, t), domain)
            if r.random() < .3:
                a, b = original(t), patched(t)
                if state(a) != state(b):
                    x, y = json.loads(state(a)), json.loads(state(b))
                    raise AssertionError((seed, {k: (x[k], y[k]) for k in x if x[k] != y[k] and k != "state"},
                                          {k: (x["state"][k], y["state"][k]) for k in x["state"]
                                           if x["state"][k] != y["state"][k]}))
                for flags in ((False, False, None), (True, False, None), (False, False, None),
                              (True, True, {"slots": ["region"], "loops": ["company_form"]})):
                    want = original_past(t, domain, *flags)
                    first = t.past_states(domain, *flags)
                    for s in first:  # what the featurizer does to the states it gets
                        s.get("user", {}).pop("intent", None)
                        s.clear()
                    second = t.past_states(domain, *flags)
                    assert second == want  # (the second from what the first kept)
                    for s in second:
                        s.clear()
                    assert t.past_states(domain, *flags) == want
                    past_compared += 1
                # fix 6: the events chosen before they are dicts, the same list as after
                assert serve.lean_event_dicts(t.events) == serve.lean_events([e.as_dict() for e in t.events]), seed
                want = original_call(remote, t, domain)
                want["tracker"]["events"] = serve.lean_events(want["tracker"]["events"])
                assert remote._action_call_format(t, domain) == want and "_events_for_verbosity" not in vars(t), seed
                extra = [ev.SlotSet("region", "linqing"), ev.ActiveLoop("company_form")] if seed % 2 else []
                assert same_but_new_stamps(original_temporary(form, t, extra, domain),
                                           FormAction._temporary_tracker(form, t, extra, domain)), seed
                before = state(t)
                b.update(ev.SlotSet("region", "qinghai"))  # a copy is a tracker of its own
                b.update(ev.ActiveLoop("company_form"))
                b.update(ev.LoopInterrupted(True))
                assert state(t) == before
                compared += 1
    print(json.dumps({"compared": compared, "past_compared": past_compared, "fast": fast[0]}))
""")


def test_the_tracker_copy_and_past_states_are_what_rasa_gives():
    """Fix 3d: DialogueStateTracker.copy made from the state is Rasa's copy (a replay of every
    event on a fresh tracker); fix 3e: past states asked again of an unchanged tracker are what
    Rasa computes, however the first answer was edited. Compared on random sequences of every
    kind of event."""
    r = subprocess.run([sys.executable, "-c", SAME_COPY], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["compared"] > 500 and out["past_compared"] == 4 * out["compared"] and out["fast"] > 100


SAME_CHECKS = textwrap.dedent("""
    import json, random
    from bot import serve
    serve.defer_imports()
    from rasa.shared.core.domain import Domain
    from rasa.shared.core import events as ev
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.core.actions.action import ActionExtractSlots
    domain = Domain.from_yaml('''
    version: "3.1"
    intents: [inform, ask_award]
    entities: [region, level]
    slots:
      region: {type: text, mappings: [{type: from_entity, entity: region}]}
      level: {type: text, mappings: [{type: from_entity, entity: level}, {type: from_entity, entity: region, intent: ask_award}]}
      other: {type: text, mappings: [{type: from_entity, entity: level}]}
      note: {type: text, mappings: [{type: custom}]}
    forms:
      company_form: {required_slots: [region, level, other]}
      other_form: {required_slots: [other]}
    ''')
    empty = Domain.empty()
    original_empty, original_fails = Domain.is_empty, ActionExtractSlots._fails_unique_entity_mapping_check
    want = [(original_empty(d)) for d in (domain, empty)]
    serve.patch_rasa()
    assert [d.is_empty() for d in (domain, empty)] == want == [False, True]
    assert [d.is_empty() for d in (domain, empty)] == want  # (asked again: kept)
    action = ActionExtractSlots(None)
    compared = fails = 0
    for seed in range(200):
        r = random.Random(seed)
        t = DialogueStateTracker("s", domain.slots)
        for _ in range(r.randint(0, 6)):
            t.update(r.choice([ev.ActiveLoop("company_form"), ev.ActiveLoop("other_form"), ev.ActiveLoop(None),
                               ev.SlotSet("requested_slot", r.choice(["region", "level", "other", None]))]), domain)
        for slot in domain.slots:
            for mapping in slot.mappings:
                for _ in range(2):  # (the second from what the first kept)
                    assert action._fails_unique_entity_mapping_check(slot.name, mapping, t, domain) \\
                        == original_fails(action, slot.name, mapping, t, domain), (seed, slot.name, mapping)
                    compared += 1
                    fails += action._fails_unique_entity_mapping_check(slot.name, mapping, t, domain)
    print(json.dumps({"compared": compared, "fails": fails}))
""")


def test_the_domain_checks_kept_per_domain_are_what_rasa_gives():
    """Fixes 7 and 8: whether a domain is empty, and whether a form's from_entity mapping fails the
    unique-mapping check, asked once per domain, answer as Rasa does each time (random form states)."""
    r = subprocess.run([sys.executable, "-c", SAME_CHECKS], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["compared"] > 1000 and out["fails"] > 100  # (both answers met)
