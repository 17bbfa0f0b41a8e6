"""The browser app's page (:mod:`.page`), the model a session runs (:mod:`.model`), its
pictures and plots drawn once and updated in place (:mod:`.picture`, :mod:`.plots`,
:mod:`.canvas`), its words (:mod:`.text`) and the memory a closed session gives back
(:mod:`.memory`); the command is ``python -m sim.app``."""
