"""The demo: a hotel and restaurant group in Vietnam and Thailand with a year of cases (`manage.py load_demo`).

An app of its own that may import every other app and that no other app imports. `corpus_vi`, `corpus_th` and
`corpus_en` hold the texts as fragments (pure data); `compose` builds one case's words from them with a seeded
`random.Random`; `organisation` describes the organisation and writes it, with its playbooks (`recovery`) and
remedies (`remedies`); `plan` plans the whole demo with no database; `replay` plays each case's plan through
the case services; `loader` puts it together.
"""
