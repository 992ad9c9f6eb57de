"""Company facts from Chinese text: entities named after facts, with normalised values.

Rule-based and built from the fact vocabulary (rules/facts.yml) and the topics
(rules/topics.yml), so a new synonym is data, not code. The Rasa component in
bot/components.py wraps it; it runs and is tested without Rasa. Contract:
docs/nlu-annotation.md.

A package by concern: cues (cue words, in one place), fuzzy (one-slip matching), numbers,
extraction (FactExtractor), routing. Every name is re-exported here, so `from huiqi.nlu import …`
keeps working."""
from .cues import *  # noqa: F401,F403
from .fuzzy import *  # noqa: F401,F403
from .numbers import *  # noqa: F401,F403
from .extraction import *  # noqa: F401,F403
from .routing import *  # noqa: F401,F403
from .readings import *  # noqa: F401,F403
from .readings import __all__ as _readings_all
from .routing import __all__ as _routing_all

__all__ = list(_routing_all) + [n for n in _readings_all if n not in _routing_all]
