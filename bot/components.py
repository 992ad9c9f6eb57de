"""Rasa NLU component: company facts as entities, from huiqi.nlu (which knows nothing of Rasa).

Placed after the intent classifier and the FallbackClassifier: it gives the `topic` entity
only for questions about an award or a department, and corrects the intent where the
contract decides it (docs/nlu-annotation.md; huiqi.nlu.FactExtractor.interpret).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from huiqi.nlu import extractor


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FactEntityExtractor(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FactEntityExtractor":
        return cls()

    def __init__(self) -> None:
        self._ex = extractor()

    def process(self, messages: List[Message]) -> List[Message]:
        for m in messages:
            text = m.get(TEXT)
            if not text or text.startswith("/"):  # button payloads carry their own entities
                continue
            old = m.get(INTENT) or {}
            intent, extracted = self._ex.interpret(text, old.get("name"))
            if intent != old.get("name"):  # a rule of the contract, not a guess: full confidence
                m.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
            found = [e.as_rasa(self.__class__.__name__) for e in extracted]
            if found:
                m.set(ENTITIES, list(m.get(ENTITIES, [])) + found, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
