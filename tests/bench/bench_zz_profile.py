import cProfile, pstats, os, time
from crm.db import db
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.evaluation.standards import get_standard
from crm.evaluation.verdicts import evaluate, run_rules
from ..evaluation.long_shift import LongShift
N = int(os.environ.get("N", "10000"))
def test_profile(app, attempt, people):
    LongShift(app, attempt, people["cand1"], people["trainer"]).work_until(N)
    db.session.expire_all()
    # per-rule timing
    ev = AttemptEvidence(attempt)
    t = time.process_time(); ev.actions; print("load", time.process_time()-t)
    times = {}
    for rid, rule in RULES.items():
        t = time.process_time(); rule.evaluate(ev); times[rid] = time.process_time()-t
    for rid, s in sorted(times.items(), key=lambda kv: -kv[1])[:25]:
        print(f"{s*1000:7.1f} ms {rid}")
    db.session.expire_all()
    pr = cProfile.Profile(); pr.enable()
    ev = AttemptEvidence(attempt); run_rules(ev, list(RULES))
    pr.disable()
    pstats.Stats(pr).sort_stats("cumtime").print_stats(45)
    pstats.Stats(pr).sort_stats("tottime").print_stats(25)
