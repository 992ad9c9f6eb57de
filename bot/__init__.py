"""The assistant's interface side: the Rasa NLU component, and (later) the channels."""
