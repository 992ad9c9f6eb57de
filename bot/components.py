"""Rasa NLU components.

- `MessageLimit`: first in the pipeline, cuts a message to MAX_CHARS characters (the REST
  channel refuses longer ones before NLU: bot/guard.py).
- `FactEntityExtractor`: company facts as entities, from huiqi.nlu (which knows nothing of
  Rasa). Placed after the intent classifier and the FallbackClassifier: it gives the `topic`
  entity only for questions about an award or a department, and corrects the intent where the
  contract decides it (docs/nlu-annotation.md; huiqi.nlu.FactExtractor.interpret).
- `IntentClassifier`: Rasa's LogisticRegressionClassifier, trained the same way, stored as
  plain arrays. Rasa's own stores the model with skops, and loading a skops file imports every
  scikit-learn estimator (and, through them, TensorFlow): 5-7 s of a 9 s cold start here.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier as _IntentClassifierMixin
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import ENTITIES, FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from huiqi.nlu import extractor, message_signals


#: Characters of a message NLU reads. The REST channel refuses longer messages before NLU with
#: a message saying so (bot.guard); MessageLimit bounds any other way in (the HTTP API, channels).
MAX_CHARS = 500


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class MessageLimit(GraphComponent):
    """First in the pipeline: cuts a message to MAX_CHARS characters. Rasa's RegexFeaturizer
    (tokens × pattern matches) and our fact extractor take time growing with the square of the
    length, inside the server's one event loop: 10,000 characters took 6 s, 100,000 minutes."""

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "MessageLimit":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for m in messages:
            text = m.get(TEXT)
            if isinstance(text, str) and len(text) > MAX_CHARS:
                m.set(TEXT, text[:MAX_CHARS])
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


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
            if not text or not text.strip() or text.startswith("/"):  # payloads carry their own entities
                continue
            if len(text) > MAX_CHARS:  # (cut by MessageLimit unless it was left out of the pipeline)
                continue
            old = m.get(INTENT) or {}
            intent, extracted = self._ex.interpret(text, old.get("name"))
            if intent != old.get("name"):  # a rule of the contract, not a guess: full confidence
                m.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
            found = [e.as_rasa(self.__class__.__name__) for e in extracted]
            if found:
                m.set(ENTITIES, list(m.get(ENTITIES, [])) + found, add_to_output=True)
            quantities = self._ex.quantities(text)  # revenue, R&D spend: facts kept across messages
            if quantities:
                m.set("huiqi_quantities", quantities, add_to_output=True)
            # topics, another caller, a correction, "answer now"…: read once, for the actions
            # and the text read as a bare answer to each fact, and as a correction (huiqi.nlu.readings)
            m.set("huiqi_signals", message_signals(text), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentClassifier(_IntentClassifierMixin, GraphComponent):
    """Multinomial logistic regression on the featurizers' sentence features.

    Trained exactly as rasa.nlu.classifiers.logistic_regression_classifier (scikit-learn's
    LogisticRegression, lbfgs, balanced class weights); predicts with numpy from the stored
    coefficients: softmax(x·Wᵀ + b), which is what LogisticRegression.predict_proba computes
    for more than two classes."""

    FILE = "intent_classifier.json"

    @classmethod
    def required_components(cls) -> List[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_iter": 100, "solver": "lbfgs", "tol": 1e-4, "C": 1.0, "random_state": 42,
                "ranking_length": LABEL_RANKING_LENGTH}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 classes: List[str] | None = None, coef=None, intercept=None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage, self._resource = model_storage, resource
        self.classes = list(classes or [])
        self.coef = None if coef is None else np.asarray(coef, dtype=np.float64)
        self.intercept = None if intercept is None else np.asarray(intercept, dtype=np.float64)

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "IntentClassifier":
        return cls(config, model_storage, resource)

    @staticmethod
    def _features(messages: List[Message]):
        from scipy.sparse import csr_matrix, hstack, vstack
        rows = []
        for m in messages:
            sparse = m.get_sparse_features(attribute=TEXT)[1]  # (sequence, sentence)
            dense = m.get_dense_features(attribute=TEXT)[1]
            rows.append(hstack([csr_matrix(sparse.features if sparse else []),
                                csr_matrix(dense.features if dense else [])]))
        return (rows[0] if len(rows) == 1 else vstack(rows)).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        X, y = self._features(examples), [e.get(INTENT) for e in examples]
        c = self.config
        clf = LogisticRegression(solver=c["solver"], max_iter=c["max_iter"], tol=c["tol"], C=c["C"],
                                 class_weight="balanced", random_state=c["random_state"],
                                 multi_class="auto")  # as Rasa: multinomial for >2 classes
        clf.fit(X, y)
        self.classes = [str(k) for k in clf.classes_]
        self.coef, self.intercept = clf.coef_, clf.intercept_
        if len(self.classes) == 2:  # binary LogisticRegression keeps one row: class 1 vs class 0
            self.coef = np.vstack([-self.coef, self.coef]) / 2
            self.intercept = np.concatenate([-self.intercept, self.intercept]) / 2
        with self._model_storage.write_to(self._resource) as d:
            (d / self.FILE).write_text(json.dumps({"classes": self.classes, "coef": self.coef.tolist(),
                                                   "intercept": self.intercept.tolist()}), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs) -> "IntentClassifier":
        try:
            with model_storage.read_from(resource) as d:
                text = (d / cls.FILE).read_text(encoding="utf-8")
        except (ValueError, FileNotFoundError):  # not trained (no intent examples): nothing stored
            return cls(config, model_storage, resource)
        stored = json.loads(text)  # a damaged file fails loudly here, not as "untrained"
        return cls(config, model_storage, resource, stored["classes"], stored["coef"], stored["intercept"])

    def probabilities(self, X) -> np.ndarray:
        return self._softmax(np.asarray(X @ self.coef.T + self.intercept))

    @staticmethod
    def _softmax(z: np.ndarray) -> np.ndarray:
        z = z - np.max(z, axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def _scores(self, m: Message) -> np.ndarray | None:
        """x·Wᵀ + b for one message, block by block: the sentence features of each featurizer
        are the columns _features() would stack in the same order. Spares building the stacked
        matrices (most of the classifier's time); None where there are dense features too."""
        blocks = [f.features for f in m.features
                  if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
        if not blocks or any(not f.is_sparse() for f in m.features if f.attribute == TEXT):
            return None
        z, offset = self.intercept.copy(), 0
        for b in blocks:
            b = b.tocoo()
            z += self.coef[:, offset + b.col] @ b.data
            offset += b.shape[1]
        return z if offset == self.coef.shape[1] else None

    def process(self, messages: List[Message]) -> List[Message]:
        if not self.classes or not messages:
            return messages
        # A text with no tokens (empty, whitespace, only punctuation) has no features: there is
        # nothing to classify. No intent, confidence 0, which the FallbackClassifier after this
        # turns into nlu_fallback (stacking its empty feature rows raised "dimension mismatch").
        featured = []
        for m in messages:
            if any(f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE for f in m.features):
                featured.append(m)
            else:
                m.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                m.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if featured:
            self._classify(featured)
        return messages

    def _classify(self, messages: List[Message]) -> None:
        scores = [self._scores(m) for m in messages]
        if all(z is not None for z in scores):
            probs = self._softmax(np.vstack(scores))
        else:
            probs = self.probabilities(self._features(messages))
        n = self.config["ranking_length"]
        for m, row in zip(messages, probs):
            ranking = sorted(({"name": k, "confidence": float(v)} for k, v in zip(self.classes, row)),
                             key=lambda r: -r["confidence"])
            m.set(INTENT, ranking[0], add_to_output=True)
            m.set(INTENT_RANKING_KEY, ranking[:n] if n > 0 else ranking, add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
