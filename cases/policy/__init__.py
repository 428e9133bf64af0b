"""The rules of case work, each written once (see "Where each rule lives" in docs/ENGINEERING.md).

* ``management``: who manages a case (filter, per-object check, "who to tell" set query);
* ``visibility``: who sees a case and who may write on it (imports ``management``);
* ``cadence``: when the next action is due;
* ``closure``: asking to close, deciding, reopening;
* ``roles``: which roles hold and see cases.

These modules import models and the core (``safeguard.tenancy``) only. Access helpers,
actions, views, forms, jobs and the UI registries import them, never the reverse.
"""
