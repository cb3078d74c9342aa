"""Suggestions: spans proposed by a rule, a lexicon or a model, for a person to accept or reject.

Each source is a plain function or class over a document's text that returns
:class:`Suggestion` records; storing them (in ``suggest:SOURCE`` layers) is the
store's business, not theirs.

- :mod:`.propagate`: a person's spans proposed wherever their exact text stands again.
- :mod:`.quotes`: text in quotation marks, as QUOTE.
- :mod:`.hedges`: a lexicon of hedges and unnamed sources, as HEDGE.
- :mod:`.spacy`: an installed spaCy pipeline's entities, mapped onto our labels.
- :mod:`.evaluate`: precision and recall of a source against hand-labelled gold.
"""

from annotator.core.suggest.model import Coverage, SuggestError, Suggestion

__all__ = ["Coverage", "SuggestError", "Suggestion"]
