# SPDX-License-Identifier: GPL-2.0-or-later
# Sphinx configuration: `make docs` builds build/docs/html from docs/.
project = 'rmm-emu'
copyright = 'the rmm-emu authors'
master_doc = 'index'
extensions = []
exclude_patterns = ['_build']
html_theme = 'alabaster'
html_title = 'rmm-emu'
# The pages are plain reStructuredText; nothing is highlighted by default.
highlight_language = 'none'
