"""The language layer of :func:`worldnb.spatial.ask`: English questions → measurements.

- :mod:`.lexicon` — every phrase table (nouns, synonyms, kinds, relations, units, ...);
- :mod:`.text` — normalising text, units asked for;
- :mod:`.options` — benchmark prompts: multiple-choice options, answer-format lines;
- :mod:`.noun_phrase` — parsing "the second red chair by the window";
- :mod:`.context` — the scene's entities (doors and windows too) and the frame;
- :mod:`.resolve` — noun phrase → objects, one filter per modifier;
- :mod:`.families` — the question families, each registered with its templates;
- :mod:`.answering` — the pipeline that ties them together.

The geometry lives below (:mod:`worldnb.spatial.measures`, ``predicates``, ``frames``,
``navigation``); nothing here measures on its own.
"""

from .answering import answer
from .context import OPENING_ID_OFFSET, opening_objects
from .families import FAMILIES, Family

__all__ = ["FAMILIES", "OPENING_ID_OFFSET", "Family", "answer", "opening_objects"]
