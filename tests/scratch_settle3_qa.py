import json, os
import pytest
from tests.test_reviews import completed
from tests.test_dialogue import Customer, all_orders

CONVS = json.loads(os.environ.get("QA_CONVS", "[]"))

@pytest.mark.parametrize("conv", CONVS)
async def test_qa(make_app, clock, db_url, conv):
    if "postgres" in db_url:
        return
    app, sent, order = await completed(make_app, clock)
    lang = conv[0]
    c = Customer(app, lang=lang)
    print("\n=== INVITE:", [m.reply.text for _, _, m in sent.customer][-1:])
    for line in conv[1:]:
        if line.startswith("+h"):
            clock.advance(hours=float(line[2:])); await app.worker.run_once(); continue
        n = len(sent.staff); m = len(sent.customer)
        reply = await c.say(payload=line[3:]) if line.startswith("PL:") else await c.say(line)
        await app.worker.run_once()
        print(f"\n> {line}\n{reply}\n  [choices] {c.payloads}")
        for _, _, msg in sent.customer[m:]:
            print("  [customer msg]", msg.template, msg.reply.text[:200])
        for _, _, msg in sent.staff[n:]:
            print("  [STAFF]", msg.template, msg.reply.text[:300].replace("\n", " | "))
    for o in await all_orders(app):
        print("ORDER", o.number, o.service_id, o.status, o.date, o.time, o.period, o.rating, o.notes)
