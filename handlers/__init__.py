"""Thin Telegram adapters: each turns one kind of update into a core call and the answer
into a reply. All language, matching and formatting lives in ``knowledge``."""
