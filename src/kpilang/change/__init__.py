"""Change control: the meaning fingerprint of a plan, the semantic diff of two versions and the
quarterly cadence gate over a plan's git history."""

from kpilang.change.fingerprint import fingerprint

__all__ = ["fingerprint"]
