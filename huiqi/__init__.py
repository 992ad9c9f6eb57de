"""huiqi (惠企): rule tables for science-and-technology subsidy policies, and the engine
that matches a company's facts against them. Knows nothing of Rasa."""

__version__ = "0.1.0"

#: Version of the public JSON formats (docs/profile.md, docs/verdicts.md).
PROFILE_FORMAT_VERSION = "1.1"
PROFILE_FORMAT_VERSIONS = ("1.0", "1.1")  # 1.1 adds partly known values; a 1.0 profile is a 1.1 one
VERDICT_FORMAT_VERSION = "2.0"  # 2.0: status (in force on the date) and certainty (docs/verdicts.md)
