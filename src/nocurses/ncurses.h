/* Guard: src/ is the core and must not use curses (only tui/ may). */
#error "curses is only for tui/: src/ must stay free of it (see docs/architecture.md)"
