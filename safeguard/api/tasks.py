from __future__ import annotations

from celery import shared_task

from safeguard.tenancy import rls
from safeguard.tenancy.notifications import deliver_outbox

from .models import WebhookDelivery
from .webhooks import message, post


def deliver_pending(limit: int = 200) -> int:
    """Deliver pending webhooks endpoint by endpoint (one endpoint down does not hold up the others)."""
    subs = (WebhookDelivery.all_orgs.filter(email_status="pending").order_by()
            .values_list("subscription_id", flat=True).distinct())
    sent = 0
    for sub_id in list(subs):
        rows = WebhookDelivery.all_orgs.filter(subscription_id=sub_id).select_related("subscription")
        sent += deliver_outbox(rows, message, limit, send=post)
    return sent


@shared_task(name="safeguard.api.tasks.deliver_pending_webhooks", ignore_result=True)
def deliver_pending_webhooks() -> int:
    with rls.dangerously_all_orgs():  # a sweep of every organisation's webhook outbox
        return deliver_pending()
