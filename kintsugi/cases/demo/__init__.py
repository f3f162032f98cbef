"""The demo organisation: a hotel and restaurant group in Vietnam and Thailand with a year of cases.

`corpus_vi`, `corpus_th` and `corpus_en` hold the texts as fragments (pure data); `compose` builds one case's
words from them with a seeded `random.Random`; `loader` plans the whole demo and writes it through the case
services (`manage.py load_demo`).
"""
