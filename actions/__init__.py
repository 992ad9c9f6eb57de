"""Rasa custom actions: thin adapters from slots to huiqi's engine and answers."""
