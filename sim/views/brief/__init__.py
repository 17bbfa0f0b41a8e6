"""The policy brief's content (:mod:`.content`, :mod:`.findings`), its words in English and
Chinese (:mod:`.words`) and its rendering to HTML and PDF (:mod:`.render`); the command is
``python -m sim.brief``."""
