"""Browser app for students: watch a neighbourhood negotiate its parking.

Start it with ``python -m sim.app`` and open http://127.0.0.1:8765. The page
(:mod:`sim.views.app.page`) shows the estate's social network (households coloured by parking or by
opinion, sized by cars, building leads as diamonds), live plots, the meeting log (协商议事会),
an About tab and the model description, in English or Chinese. Every browser session gets its
own model (:mod:`sim.views.app.model`), the research model itself; the pictures are drawn once and
updated in place (:mod:`sim.views.app.canvas`). ``python -m sim.bench app`` measures the server's
time per step (:mod:`sim.app.bench`).
"""
