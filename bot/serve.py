"""`rasa` with two start-up and latency fixes for Rasa 3.6.21, for models without TensorFlow.

    python -m bot.serve run --model models/huiqi.tar.gz ...   # same arguments as `rasa run`

Everything else is Rasa's own code, unchanged; the fixes only defer or cache work:

1. TensorFlow is imported when first *used*, not at start-up. Rasa imports it unconditionally
   (rasa.utils.train_utils, reached from the policy base class), which costs 3-5 s on these
   machines although our pipeline has no TensorFlow component. `defer_imports()` puts a lazy
   module in `sys.modules` for the modules in `DEFERRED`; it runs the real module on the first
   attribute anyone reads from it, so a model that does use TensorFlow still gets it (later).
   The training graph schema stored in a model (used by `rasa train`, never by `rasa run`) is
   resolved on first use too: resolving it imports DIETClassifier, TEDPolicy and
   ResponseSelector, and with them TensorFlow.
2. Rasa validates every action-server response against a JSON schema with
   `jsonschema.validate`, which re-checks the schema itself against the meta-schema on every
   call: about two thirds of a form turn's time (docs/benchmark.md). The validator is built
   once; responses are validated exactly as before (same schema, same errors). Each event is
   checked against the schema of its own type rather than tried against all 23
   (`event_wise_validator`: the same answer, 9 % of a turn at saturation before).

3. Two lookups Rasa repeats on every turn are remembered: the Event class of each event type
   name, and which entity mappings of a form are unique (they depend only on the domain); and
   slots are copied directly instead of through the pickle protocol (the same shallow copy).

4. Rasa's graphs (NLU, policies) are run by a plain depth-first evaluation instead of dask's
   scheduler (`run_graph_tasks`: the same results; dask's bookkeeping was ~8 % of a turn).

5. JSON sent to the action server is encoded as UTF-8 text rather than with every Chinese
   character escaped (`utf8_json`: the same JSON value, ~40 % fewer bytes to encode and parse).

`tests/test_serve.py` checks each fix against Rasa's own code (same validation results and
errors, same Event classes, same unique mappings, same training schema) and that the server
process never loads TensorFlow; the conversation tests run through this launcher.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
import types
from typing import Any

#: Modules whose code runs on first use rather than on import. Only modules that Rasa
#: reaches with a plain `import x.y` on the way to serving (never `from x.y import name`,
#: which reads an attribute and so would run the module at once).
DEFERRED = ("tensorflow", "rasa.utils.train_utils")

_lock = threading.RLock()


class _DeferredModule(types.ModuleType):
    """A module whose code has not run yet. Reading any attribute that is not set runs it."""

    def __getattr__(self, name: str) -> Any:
        if "_deferred_loader" not in self.__dict__:  # still being set up by importlib
            raise AttributeError(name)
        _run(self)
        return getattr(self, name)


def _run(module: types.ModuleType) -> None:
    with _lock:
        d = module.__dict__
        if "_deferred_loader" not in d:
            return  # run meanwhile by another thread
        loader = d.pop("_deferred_loader")
        path = d.pop("_deferred_path", None)
        if path is not None:
            module.__path__ = path
        module.__loader__ = module.__spec__.loader = loader
        module.__class__ = types.ModuleType  # a PEP 562 __getattr__ in the module works again
        try:
            loader.exec_module(module)
        except BaseException:
            # as a failed import leaves things: the half-run module is not importable
            if sys.modules.get(module.__name__) is module:
                del sys.modules[module.__name__]
            raise


class _DeferringLoader(importlib.abc.Loader):
    def __init__(self, real: importlib.abc.Loader):
        self.real = real

    def create_module(self, spec):
        return _DeferredModule(spec.name)

    def exec_module(self, module):
        d = module.__dict__
        d["_deferred_loader"] = self.real
        # Without __path__ a package's submodules cannot be imported before the package
        # itself has run: `import tensorflow.keras` reads __path__ and so runs tensorflow.
        if "__path__" in d:
            d["_deferred_path"] = d.pop("__path__")


class _DeferringFinder(importlib.abc.MetaPathFinder):
    def __init__(self, names):
        self.names = frozenset(names)

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec  # namespace or extension modules load as usual
        spec.loader = _DeferringLoader(spec.loader)
        return spec


def defer_imports(names=DEFERRED) -> None:
    """Install the deferring finder (once), before anything imports `names`."""
    if any(isinstance(f, _DeferringFinder) for f in sys.meta_path):
        return
    loaded = [n for n in names if n in sys.modules]
    if loaded:
        raise RuntimeError(f"too late to defer {loaded}: already imported")
    sys.meta_path.insert(0, _DeferringFinder(names))


class _DeferredSchema:
    """A model's training graph schema, resolved (classes imported) when first used."""

    def __init__(self, serialized: dict):
        self._serialized = serialized
        self._schema = None

    def _resolve(self):
        if self._schema is None:
            from rasa.engine.graph import GraphSchema
            self._schema = GraphSchema.from_dict(self._serialized)
        return self._schema

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # own fields before __init__ (copy, pickle) and dunders
            raise AttributeError(name)
        return getattr(self._resolve(), name)

    def __eq__(self, other) -> bool:
        return self._resolve() == other


def event_wise_validator(spec: dict, cls):
    """A faster test giving the same answer as `cls(spec).is_valid` for Rasa's action-response
    schema, or None where the schema is not of the shape this relies on.

    Each event of a response must match exactly one of the schema's 23 event schemas (`oneOf`),
    and jsonschema tries all 23 on every event: most of the validation's time. Each of them
    requires its own `event` value (`const`, all different), so an event can match no other
    than the one of its own type: checking the response without the `oneOf`, then each event
    against the schema of its type (none: invalid), accepts exactly what the full schema
    accepts."""
    import copy
    try:
        top = copy.deepcopy(spec)
        items = top["properties"]["events"]["items"]
        branches = items.pop("oneOf")
        consts = [b["properties"]["event"]["const"] for b in branches]
    except (KeyError, TypeError):
        return None
    if len(set(consts)) != len(consts) or any(set(b) - {"properties", "required"} for b in branches) \
            or set(items) - {"type", "properties", "required"} or items.get("type") != "object" \
            or "event" not in items.get("required", ()) or items["properties"]["event"] != {"type": "string"}:
        return None
    whole = cls(top)
    by_type = {c: cls(b) for c, b in zip(consts, branches)}

    def is_valid(result) -> bool:
        if not whole.is_valid(result):
            return False
        events = result.get("events") if isinstance(result, dict) else None
        for e in events or ():  # (an object with a string `event`: checked above)
            v = by_type.get(e["event"])
            if v is None or not v.is_valid(e):
                return False
        return True

    return is_valid


#: the Rasa release whose internals these fixes were written against and tested on
RASA_VERSION = "3.6.21"


def patch_rasa() -> None:
    """Apply fixes 2 and 3, and the deferred training schema of fix 1 (idempotent). Refuses any
    other Rasa release: the fixes replace internals that may differ there."""
    from rasa.version import __version__
    if __version__ != RASA_VERSION:
        raise RuntimeError(f"bot.serve patches Rasa {RASA_VERSION}, found {__version__}: use `rasa run`, "
                           "or check each fix in bot/serve.py against this release first")
    from rasa.core.actions.action import RemoteAction
    from rasa.engine.storage.storage import ModelMetadata

    if getattr(RemoteAction, "_huiqi_patched", False):  # (marked on Rasa's class: once per process)
        return

    import jsonschema
    from jsonschema.exceptions import best_match

    spec = RemoteAction.action_response_format_spec()
    cls = jsonschema.validators.validator_for(spec)
    cls.check_schema(spec)  # what jsonschema.validate did on every call, done once
    validator = cls(spec)
    original_validate = RemoteAction._validate_action_result
    valid = event_wise_validator(spec, cls) or validator.is_valid

    def _validate_action_result(self, result):
        if valid(result):  # (the same answer as the full schema: event_wise_validator)
            return True
        error = best_match(validator.iter_errors(result))  # as jsonschema.validate chooses
        if error is None:
            return True
        return original_validate(self, result)  # raises, with Rasa's own message

    RemoteAction._validate_action_result = _validate_action_result

    original_from_dict = ModelMetadata.from_dict.__func__

    def from_dict(cls_, serialized):
        serialized = dict(serialized)
        train_schema = serialized["train_schema"]
        serialized["train_schema"] = {"nodes": {}}  # resolved lazily below
        metadata = original_from_dict(cls_, serialized)
        metadata.train_schema = _DeferredSchema(train_schema)
        return metadata

    ModelMetadata.from_dict = classmethod(from_dict)

    # 3a. Event.resolve_by_type walks every Event subclass for each event it deserialises
    #    (tracker stores, action responses): ~85 % of rebuilding a 120-event tracker.
    from rasa.shared.core.events import Event
    resolve = Event.resolve_by_type
    known: dict = {}

    def resolve_by_type(type_name, default=None):
        cls_ = known.get(type_name)
        if cls_ is None:
            cls_ = resolve(type_name, default)
            if cls_ is not None and cls_ is not default:  # only what the walk found is kept
                known[type_name] = cls_
        return cls_

    Event.resolve_by_type = staticmethod(resolve_by_type)

    # 3b. Slot extraction asks, for every slot at every turn, which entity mappings of the
    #    form are unique, and a new FormAction computes that again from the whole domain.
    #    It depends on the form and the domain only (a domain does not change once loaded).
    from rasa.core.actions.forms import FormAction
    unique = FormAction._create_unique_entity_mappings

    def _create_unique_entity_mappings(self, domain):
        per_domain = domain.__dict__.setdefault("_huiqi_unique_entity_mappings", {})
        if self.name() not in per_domain:
            per_domain[self.name()] = frozenset(unique(self, domain))
        return per_domain[self.name()]

    FormAction._create_unique_entity_mappings = _create_unique_entity_mappings

    # 3c. Every tracker Rasa builds (a turn builds ~10: copies, prior trackers for the policies)
    #    copies each slot of the domain (83 here) with copy.copy, which goes through the pickle
    #    protocol (__reduce_ex__). The same shallow copy, made directly: ~2.6x faster.
    from rasa.shared.core.slots import Slot
    def _all(c):
        yield c
        for sub in c.__subclasses__():
            yield from _all(sub)
    own = {k for c in _all(Slot) for k in vars(c) if k in ("__copy__", "__reduce__", "__reduce_ex__", "__slots__",
                                                          "__getstate__", "__setstate__")}
    if own:
        raise RuntimeError(f"Rasa's slots define {sorted(own)}: fix 3c (bot/serve.py) no longer applies")

    def _copy_slot(self):
        new = self.__class__.__new__(self.__class__)
        new.__dict__.update(self.__dict__)
        return new

    Slot.__copy__ = _copy_slot

    # 3d. Rasa copies the tracker before running each action (processor._run_action: a temporary
    #    tracker), by replaying every event of the session on a fresh one: ~5 % of a turn. The
    #    same state copied directly (copy_tracker below; a test compares the two on random event
    #    sequences of every kind).
    from rasa.shared.core.trackers import DialogueStateTracker
    fresh = DialogueStateTracker("t", [])
    if set(vars(fresh)) != TRACKER_STATE:
        raise RuntimeError(f"Rasa's tracker holds {sorted(set(vars(fresh)) ^ TRACKER_STATE)} other than fix 3d "
                           "(bot/serve.py) copies")
    DialogueStateTracker.copy = copy_tracker

    # 3f. A form builds a temporary tracker (to validate, to ask for the next slot) by replaying
    #    every event of the session on a fresh one: ~3 % of a turn. The same tracker made as fix 3d
    #    copies, then the form's events applied, where that is the same (no restart in the
    #    session, the tracker built from this domain's slots); a replay otherwise.
    from rasa.core.actions.forms import FormAction
    FormAction._temporary_tracker = temporary_tracker(FormAction._temporary_tracker)

    # 3e. RulePolicy asks the past states of the same tracker twice after each user message (once
    #    to match rules on its text, once on its intent), each a replay of the whole session: the
    #    second is the first's result, copied (callers edit the states they get), while the tracker
    #    has not changed (the same number of events, the same last event).
    past = DialogueStateTracker.past_states

    def past_states(self, domain, omit_unset_slots=False, ignore_rule_only_turns=False, rule_only_data=None):
        key = (omit_unset_slots, ignore_rule_only_turns, len(self.events), None if rule_only_data is None else
               tuple(sorted((k, tuple(v)) for k, v in rule_only_data.items())))
        last = self.events[-1] if self.events else None
        kept = self.__dict__.get("_huiqi_past_states")
        if kept is not None and kept[0] == key and kept[1] is last and kept[2] is domain:
            return states_copy(kept[3])
        states = past(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        self.__dict__["_huiqi_past_states"] = (key, last, domain, states_copy(states))
        return states

    DialogueStateTracker.past_states = past_states

    # 4. Rasa runs its graphs (NLU, then the policies: twice or more a message) through dask's
    #    synchronous scheduler, whose bookkeeping cost ~8 % of a turn at saturation. The same
    #    graph run by a plain depth-first evaluation (run_graph below), its schema pruned and
    #    built once per set of targets.
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.exceptions import GraphRunError

    def run(self, inputs=None, targets=None):
        run_targets = targets if targets else self._graph_schema.target_names
        built = self.__dict__.setdefault("_huiqi_graphs", {})
        key = tuple(run_targets)
        if key not in built:
            built[key] = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
        run_graph = dict(built[key])
        if inputs:
            self._add_inputs_to_graph(inputs, run_graph)
        try:
            return dict(run_graph_tasks(run_graph, run_targets))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e

    DaskGraphRunner.run = run

    # 5. The tracker sent to the action server (twice or more a turn) was encoded by aiohttp's
    #    json.dumps with every Chinese character escaped as \\uXXXX: ~8 % of a turn. The same JSON
    #    value, encoded as UTF-8 text (a string that cannot be, as before).
    from rasa.utils.endpoints import EndpointConfig
    request = EndpointConfig.request

    async def request_utf8(self, method="post", subpath=None, content_type="application/json", compress=False,
                           **kwargs):
        if "json" in kwargs and "data" not in kwargs and content_type == "application/json":
            body = utf8_json(kwargs["json"])
            if body is not None:
                del kwargs["json"]
                kwargs["data"] = body
        return await request(self, method, subpath, content_type, compress, **kwargs)

    EndpointConfig.request = request_utf8

    # 6. The tracker sent to the action server carried every event of the session: by an answer
    #    turn ~100 KB, two thirds of it the bot's earlier replies and earlier copies of the
    #    answer's own slots (last_awards, last_detail), which no action reads (they read the
    #    slots' current values, and of the events only user messages, actions and fact slots).
    #    Those are left out before the latest user message, and earlier user messages go without
    #    their parse data; the rest is sent as it was.
    call_format = RemoteAction._action_call_format

    #    (The domain Rasa sends to every action named validate_* is switched off where it is
    #    declared: `send_domain: false` in bot/domain_base.yml.)
    #    The events are chosen before they are turned into dicts (lean_event_dicts: the same list
    #    as lean_events of every event's dict), not after: ~2 % of a turn.
    def _action_call_format(self, tracker, domain):
        tracker._events_for_verbosity = _no_events  # (Rasa's own current_state for all the rest)
        try:
            result = call_format(self, tracker, domain)
        finally:
            del tracker._events_for_verbosity
        result["tracker"]["events"] = lean_event_dicts(tracker.events)
        return result

    RemoteAction._action_call_format = _action_call_format

    # 7. Before reading each message, Rasa asks whether the model's domain is empty by building an
    #    empty Domain and comparing both as dicts (~1.5 % of a turn). A loaded domain does not change
    #    (as 3b): asked once per domain.
    from rasa.shared.core.domain import Domain
    is_empty = Domain.is_empty

    def _is_empty(self):
        kept = self.__dict__.get("_huiqi_is_empty")
        if kept is None:
            kept = self.__dict__["_huiqi_is_empty"] = is_empty(self)
        return kept

    Domain.is_empty = _is_empty

    # 8. Slot extraction asks, for every from_entity mapping of every slot at every turn while a
    #    form is active, whether the form requires that slot and the mapping is not unique to it,
    #    making a FormAction and a JSON text of the mapping each time (~3 % of a turn). Given the
    #    form and the slot, that depends on the domain only: asked once per domain (the checks on
    #    the tracker, done first, stay as they are).
    from rasa.core.actions.action import ActionExtractSlots
    from rasa.shared.core.constants import MAPPING_TYPE, REQUESTED_SLOT, SlotMappingType
    fails = ActionExtractSlots._fails_unique_entity_mapping_check
    from_entity = str(SlotMappingType.FROM_ENTITY)

    def _fails_unique_entity_mapping_check(self, slot_name, mapping, tracker, domain):
        if mapping[MAPPING_TYPE] != from_entity:
            return False
        form_name = tracker.active_loop_name
        if not form_name or tracker.get_slot(REQUESTED_SLOT) == slot_name:
            return False
        per_domain = domain.__dict__.setdefault("_huiqi_fails_unique", {})
        key = (form_name, slot_name, id(mapping))
        kept = per_domain.get(key)
        if kept is None or kept[0] is not mapping or kept[1] != mapping:
            kept = per_domain[key] = (mapping, dict(mapping), fails(self, slot_name, mapping, tracker, domain))
        return kept[2]

    ActionExtractSlots._fails_unique_entity_mapping_check = _fails_unique_entity_mapping_check
    RemoteAction._huiqi_patched = True


def _no_events(event_verbosity):
    return None


#: what a DialogueStateTracker holds (Rasa 3.6.21): fix 3d copies each
TRACKER_STATE = frozenset({"_max_event_history", "events", "sender_id", "slots", "sender_source", "is_rule_tracker",
                           "_paused", "followup_action", "latest_action", "latest_message", "latest_bot_utterance",
                           "active_loop", "model_id", "assistant_id"})


def copy_tracker(self):
    """What DialogueStateTracker.copy gives (`init_copy()`, then every event replayed on it), made
    from the tracker's state: the same events (the same objects, as a replay appends them), each
    slot copied with its value, the rest of the state as the replay leaves it (model_id and
    assistant_id unset, as init_copy leaves them)."""
    import copy
    import dataclasses
    from rasa.shared.constants import DEFAULT_SENDER_ID
    from rasa.shared.core.trackers import AnySlotDict, DialogueStateTracker
    if isinstance(self.slots, AnySlotDict) or self._max_event_history is not None:
        # slots made up as they are set, or events dropped from a bounded history (the state of a
        # replay is then not the tracker's): replayed, as Rasa does
        return self.travel_back_in_time(float("inf"))
    new = DialogueStateTracker(self.sender_id or DEFAULT_SENDER_ID, (), self._max_event_history,
                               is_rule_tracker=self.is_rule_tracker)  # (as init_copy, its slots set below)
    new.events.extend(self.events)
    new.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    new._paused = self._paused
    new.followup_action = self.followup_action
    new.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    new.latest_message = self.latest_message
    new.latest_bot_utterance = self.latest_bot_utterance
    new.active_loop = dataclasses.replace(self.active_loop) if self.active_loop is not None else None
    return new


def temporary_tracker(original):
    """Fix 3f: FormAction._temporary_tracker from a copy of the tracker's state, where a replay of
    its events on the domain's slots would give that state."""
    from rasa.shared.core.constants import REQUESTED_SLOT
    from rasa.shared.core.events import ActionExecuted, SlotSet
    from rasa.shared.core.trackers import AnySlotDict

    def _temporary_tracker(self, current_tracker, additional_events, domain):
        slots = current_tracker.slots
        if (isinstance(slots, AnySlotDict) or current_tracker._max_event_history is not None
                or not current_tracker.sender_id or current_tracker.sender_source is not None
                or current_tracker.is_rule_tracker or current_tracker.idx_after_latest_restart() != 0
                or list(slots) != [s.name for s in domain.slots]
                or any(type(slots[s.name]) is not type(s) or slots[s.name].initial_value != s.initial_value
                       for s in domain.slots)):
            return original(self, current_tracker, additional_events, domain)
        new = copy_tracker(current_tracker)
        for event in [SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
                      ActionExecuted(self.name())] + list(additional_events):
            new.update(event)
        return new

    return _temporary_tracker


def states_copy(states: list) -> list:
    """Dialogue states as callers may edit them (a state is a dict of sub-state dicts, whose values
    are strings and tuples)."""
    return [{k: (dict(v) if isinstance(v, dict) else v) for k, v in state.items()} for state in states]


#: slots the actions read only as current values (actions/actions.py): their earlier settings
#: are not sent to the action server
BULKY_SLOTS = frozenset({"last_awards", "last_detail"})


#: what the actions read of an earlier user message (that there was one, and where from); its
#: parse data (~1.5 KB: the intent ranking, tokens, entities, signals) is the latest message's only
EARLIER_USER_KEYS = ("event", "timestamp", "text", "input_channel")


def lean_events(events: list[dict]) -> list[dict]:
    """The events an action call needs: before the latest user message, no bot replies, no
    featurization records, no earlier settings of BULKY_SLOTS, and user messages without their
    parse data; from it on, every event as it is."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=0)
    out = []
    for i, e in enumerate(events):
        kind = e.get("event")
        if i >= last_user:
            out.append(e)
        elif kind == "user":
            out.append({k: e[k] for k in EARLIER_USER_KEYS if k in e})
        elif not (kind in ("bot", "user_featurization") or (kind == "slot" and e.get("name") in BULKY_SLOTS)):
            out.append(e)
    return out


def lean_event_dicts(events) -> list[dict]:
    """lean_events([e.as_dict() for e in events]), each event turned into a dict only when kept
    (an earlier user message: only the keys kept)."""
    events = list(events)
    last_user = max((i for i, e in enumerate(events) if e.type_name == "user"), default=0)
    out = []
    for i, e in enumerate(events):
        kind = e.type_name
        if i >= last_user:
            out.append(e.as_dict())
        elif kind == "user":
            d = {"event": kind, "timestamp": e.timestamp, "text": e.text,
                 "input_channel": getattr(e, "input_channel", None)}
            out.append({k: d[k] for k in EARLIER_USER_KEYS})
        elif not (kind in ("bot", "user_featurization") or (kind == "slot" and e.key in BULKY_SLOTS)):
            out.append(e.as_dict())
    return out


def utf8_json(value) -> bytes | None:
    """`value` as JSON in UTF-8 without escaping non-ASCII characters (the same JSON value as
    json.dumps gives for the values a tracker holds: strings, numbers, booleans, None, lists and
    dicts), or None where that cannot be encoded (an unpaired surrogate). Encoded by ujson (a
    dependency of Rasa's; ~4x faster than json here), by json where ujson refuses a value."""
    try:
        import ujson
        return ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False,
                           reject_bytes=True).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError, OverflowError):
        pass
    import json
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None


def run_graph_tasks(graph: dict, targets: list) -> tuple:
    """What `dask.get(graph, targets)` returns for a graph as Rasa builds them: each node a task
    `(callable, *names of the nodes it needs)`, each input a literal `(name, value)`. A task's
    arguments that name a node are replaced by that node's result (computed once), the others
    passed as they are; a value that is not a task is its own result."""
    done: dict = {}

    def result(key):
        if key in done:
            return done[key]
        task = graph[key]
        if type(task) is tuple and task and callable(task[0]):
            args = [result(a) if _is_key(a, graph) else a for a in task[1:]]
            value = task[0](*args)
        else:
            value = task
        done[key] = value
        return value

    return tuple(result(t) for t in targets)


def _is_key(a, graph: dict) -> bool:
    try:
        return a in graph
    except TypeError:  # unhashable: a value, never a node's name
        return False


def write_endpoints(path, action_port: int, tracker_db) -> None:
    """endpoints.yml (the embedded defaults) with another action-server port and SQLite file:
    what tests and benchmarks start, so they run the configuration `make run` runs."""
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parent.parent / "endpoints.yml").read_text(encoding="utf-8")
    text, n_url = re.subn(r'(url: "http://127\.0\.0\.1:)\d+(/webhook")', rf"\g<1>{action_port}\g<2>", text)
    text, n_db = re.subn(r"(?m)^(  db: ).*$", lambda m: m.group(1) + str(tracker_db), text)
    if (n_url, n_db) != (1, 1):
        raise ValueError("endpoints.yml: expected one action-server url and one tracker db")
    Path(path).write_text(text, encoding="utf-8")


def guard_rest_channel() -> None:
    """Every app `rasa run` configures gets bot.guard's gate in front of the REST channel (empty,
    over-long and malformed messages are answered or refused before NLU). Idempotent."""
    import rasa.core.run
    from bot import guard

    configure = rasa.core.run.configure_app
    if getattr(configure, "_huiqi_guarded", False):
        return

    def configure_app(*args, **kwargs):
        app = configure(*args, **kwargs)
        guard.install(app)
        from bot.tuning import freeze_after_start
        freeze_after_start(app)  # the loaded model out of the collector's way (bot/tuning.py)
        return app

    configure_app._huiqi_guarded = True
    rasa.core.run.configure_app = configure_app


def main(argv: list[str] | None = None) -> None:
    defer_imports()
    patch_rasa()
    guard_rest_channel()
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["run"] and "actions" not in args[1:2]:
        # refuse to start with the reasons: broken rule tables, unreachable stores (bot/preflight.py)
        from bot.preflight import check_rules, check_stores, endpoints_arg, run_or_exit
        run_or_exit(check_rules, lambda: check_stores(endpoints_arg(args)))
    from rasa.__main__ import main as rasa_main
    sys.argv = ["rasa"] + args
    rasa_main()


if __name__ == "__main__":
    main()
