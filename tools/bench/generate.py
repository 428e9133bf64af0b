"""Build the scale data set in set-based SQL, from a seed, into an empty migrated database.

    .venv/bin/python -m tools.bench generate --size quick     # one org of 100,000 cases + ten small ones
    .venv/bin/python -m tools.bench generate --size full      # 200 orgs, 1,000,000 cases, ~10,000,000 actions
    .venv/bin/python -m tools.bench generate --size smoke     # a few hundred cases (CI smoke test)

Organisations, their areas (with registers), departments, default lists and one member per role are
made through the action functions (so register permissions and defaults are right); everything large
(officers, reporters, cases, people, actions, referrals, register entries and their monthly updates,
training people, DBS checks and training records) is made with ``INSERT … SELECT generate_series`` across
all organisations at once. Sizes are skewed: the largest organisation holds a tenth of the cases.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

BENCH_PASSWORD = "Bench-password-2026"  # noqa: S105 - fictional benchmark users only
ROLES = ("frontline", "case_officer", "case_manager", "nso", "dsl", "safeguarding_manager", "register_admin",
         "data_privacy_manager", "people_director", "hr_ld", "board_member", "org_admin")
AREAS = ("Ashcombe", "Brackenfold", "Cinderford Vale", "Dunmoor", "Eastwick", "Fallowmere", "Greyhaven",
         "Harrowden", "Ivybridge Marsh")
DEPARTMENTS = ("Housing", "Repairs and Assets", "Support", "HR")


@dataclass(frozen=True)
class Size:
    """How much to make: cases per organisation (largest first) and the per-case ratios."""

    name: str
    org_cases: tuple[int, ...]
    actions_per_case: float = 10.0
    entry_share: float = 0.1  # register entries per case
    training_people_per_case: float = 0.2


def sizes(name: str, seed: int) -> Size:
    rng = random.Random(seed)
    if name == "smoke":
        return Size(name, (300, 40, 20))
    if name == "quick":
        return Size(name, (100_000, *(rng.randint(500, 3000) for _ in range(10))))
    if name == "full":
        # 199 organisations share 900,000 cases with a long tail; the largest has 100,000.
        weights = [1 / (i ** 0.85) for i in range(1, 200)]
        scale = 900_000 / sum(weights)
        rest = [max(200, round(w * scale)) for w in weights]
        rest[0] += 900_000 - sum(rest)
        return Size(name, (100_000, *rest))
    raise SystemExit(f"Unknown size {name!r}: smoke, quick or full")


def _sql(statement: str, params: object = None) -> int:
    with connection.cursor() as cursor:  # scoping: the benchmark builds every organisation's data at once
        cursor.execute(statement, params or [])  # type: ignore[arg-type]
        return cursor.rowcount


def _orgs(size: Size, rng: random.Random) -> list[int]:
    """Organisations through the action functions, each with one member per role."""
    from safeguard.tenancy.actions import RoleSpec, do_add_member, do_create_organisation
    from safeguard.tenancy.models import Area, Organisation, User

    password = make_password(BENCH_PASSWORD)
    ids = []
    for index, n_cases in enumerate(size.org_cases):
        slug = f"bench-{index:03d}"
        if Organisation.objects.filter(slug=slug).exists():
            raise SystemExit("The database already holds benchmark data: use a fresh, migrated database.")
        n_areas = 4 if n_cases >= 50_000 else rng.randint(1, 4)
        with transaction.atomic():
            org = do_create_organisation(name=f"Bench Housing {index:03d}", slug=slug,
                                         areas=AREAS[:n_areas], departments=DEPARTMENTS)
            first_area = Area.objects.for_org(org).order_by("pk").first()
            users = User.objects.bulk_create([
                User(email=f"{role.replace('_', '.')}@{slug}.bench.example", full_name=f"Bench {role} {index}",
                     password=password) for role in ROLES
            ])
            for role, user in zip(ROLES, users, strict=True):
                areas = [first_area.pk] if role == "dsl" and first_area else []
                do_add_member(org, user, [RoleSpec(role, areas)], job_title=role.replace("_", " ").title())
        ids.append(org.pk)
    return ids


def generate(size_name: str, seed: int = 2026, say: object = print) -> dict[str, int]:
    size = sizes(size_name, seed)
    rng = random.Random(seed)
    started = time.monotonic()
    counts: dict[str, int] = {}

    def step(label: str, statement: str, params: object = None) -> None:
        t0 = time.monotonic()
        counts[label] = _sql(statement, params)
        say(f"  {label}: {counts[label]:,} rows in {time.monotonic() - t0:.1f} s")  # type: ignore[operator]

    say(f"Making {len(size.org_cases)} organisations (largest {size.org_cases[0]:,} cases, "  # type: ignore[operator]
        f"{sum(size.org_cases):,} in all)")
    org_ids = _orgs(size, rng)
    _sql("SELECT setseed(%s)", [((seed % 1000) / 1000.0)])
    _sql("DROP TABLE IF EXISTS bench_org")
    _sql("CREATE UNLOGGED TABLE bench_org (org_id bigint PRIMARY KEY, n_cases int, n_officers int, n_reporters int,"
         " area_ids bigint[], dept_ids bigint[], register_ids bigint[], category_ids bigint[], course_ids bigint[],"
         " officer_ids bigint[], reporter_ids bigint[], manager_id bigint, nso_id bigint)")
    with connection.cursor() as cursor:  # scoping: benchmark set-up
        cursor.executemany(
            "INSERT INTO bench_org (org_id, n_cases, n_officers, n_reporters) VALUES (%s, %s, %s, %s)",
            [(oid, n, max(3, n // 150), max(5, n // 60)) for oid, n in zip(org_ids, size.org_cases, strict=True)],
        )
    password = make_password(BENCH_PASSWORD)
    with transaction.atomic():
        # Officers and frontline reporters, each a member with one role.
        step("users", """
            INSERT INTO tenancy_user (password, is_superuser, is_staff, is_active, date_joined, email, full_name)
            SELECT %s, false, false, true, now(), kind || g || '@org' || o.org_id || '.bench.example',
                   initcap(kind) || ' ' || g || ' of ' || o.org_id
            FROM bench_org o, LATERAL (VALUES ('officer', o.n_officers), ('reporter', o.n_reporters)) k(kind, n),
                 LATERAL generate_series(1, k.n) g""", [password])
        step("memberships", """
            INSERT INTO tenancy_membership (job_title, is_active, joined_at, user_id, organisation_id)
            SELECT '', true, now(), u.id, substring(u.email from '@org([0-9]+)\\.')::bigint
            FROM tenancy_user u WHERE u.email LIKE '%%@org%%.bench.example'""")
        step("role assignments", """
            INSERT INTO tenancy_roleassignment (role, membership_id, organisation_id)
            SELECT CASE WHEN u.email LIKE 'officer%%' THEN 'case_officer' ELSE 'frontline' END, m.id, m.organisation_id
            FROM tenancy_membership m JOIN tenancy_user u ON u.id = m.user_id
            WHERE u.email LIKE '%%@org%%.bench.example'""")
        _sql("""
            UPDATE bench_org o SET
              area_ids = (SELECT array_agg(id ORDER BY id) FROM tenancy_area WHERE organisation_id = o.org_id),
              dept_ids = (SELECT array_agg(id ORDER BY id) FROM tenancy_department WHERE organisation_id = o.org_id),
              register_ids = (SELECT array_agg(r.id ORDER BY r.area_id) FROM registers_register r
                              WHERE r.organisation_id = o.org_id),
              category_ids = (SELECT array_agg(id ORDER BY id) FROM cases_harmcategory WHERE organisation_id = o.org_id),
              officer_ids = (SELECT array_agg(m.user_id ORDER BY m.user_id) FROM tenancy_roleassignment ra
                             JOIN tenancy_membership m ON m.id = ra.membership_id
                             WHERE ra.organisation_id = o.org_id AND ra.role = 'case_officer'),
              reporter_ids = (SELECT array_agg(m.user_id ORDER BY m.user_id) FROM tenancy_roleassignment ra
                              JOIN tenancy_membership m ON m.id = ra.membership_id
                              WHERE ra.organisation_id = o.org_id AND ra.role = 'frontline'),
              manager_id = (SELECT m.user_id FROM tenancy_roleassignment ra JOIN tenancy_membership m
                            ON m.id = ra.membership_id WHERE ra.organisation_id = o.org_id
                            AND ra.role = 'case_manager' LIMIT 1),
              nso_id = (SELECT m.user_id FROM tenancy_roleassignment ra JOIN tenancy_membership m
                        ON m.id = ra.membership_id WHERE ra.organisation_id = o.org_id AND ra.role = 'nso' LIMIT 1)
        """)
        # Cases over the last three years: 60% closed, the rest open in every state.
        step("cases", """
            INSERT INTO cases_case (reference, concern_type, status, reported_at, allocated_at, is_colleague_allegation,
              immediate_risk, source, what_happened, happened_on, next_action_due, closed_at, version,
              allocated_to_id, area_id, department_id, organisation_id, reported_by_id, closed_by_id,
              closure_requested_at, closure_requested_by_id, outcome)
            SELECT 'SG-' || lpad(g::text, 6, '0'),
                   CASE WHEN g %% 3 = 0 THEN 'wow' ELSE 'safeguarding' END,
                   c.status, c.reported_at,
                   CASE WHEN c.status <> 'reported' THEN c.reported_at + interval '1 day' END,
                   g %% 97 = 0, g %% 13 = 0,
                   (ARRAY['colleague','contractor','neighbour','third_party','other_agency','self'])[1 + g %% 6],
                   'Seen at the door, worried about the household. Bench concern ' || g || '.',
                   (c.reported_at - interval '2 days')::date,
                   CASE WHEN c.status IN ('allocated','closure_requested')
                        THEN current_date + ((g %% 21) - 7)::int END,
                   CASE WHEN c.status = 'closed' THEN c.reported_at + interval '187 days' END, 0,
                   CASE WHEN c.status <> 'reported'
                        THEN o.officer_ids[1 + g %% array_length(o.officer_ids, 1)] END,
                   o.area_ids[1 + g %% array_length(o.area_ids, 1)],
                   o.dept_ids[1 + (g / 7) %% array_length(o.dept_ids, 1)],
                   o.org_id, o.reporter_ids[1 + g %% array_length(o.reporter_ids, 1)],
                   CASE WHEN c.status = 'closed' THEN o.manager_id END,
                   CASE WHEN c.status IN ('closure_requested','closed') THEN c.reported_at + interval '180 days' END,
                   CASE WHEN c.status IN ('closure_requested','closed')
                        THEN o.officer_ids[1 + g %% array_length(o.officer_ids, 1)] END,
                   CASE WHEN c.status = 'closed' THEN 'Support in place; risk reduced.' ELSE '' END
            FROM bench_org o, generate_series(1, o.n_cases) g,
                 LATERAL (SELECT now() - (random() * interval '1095 days') AS reported_at,
                                 CASE WHEN g %% 20 = 0 THEN 'reported' WHEN g %% 20 = 1 THEN 'closure_requested'
                                      WHEN g %% 5 IN (2, 3) THEN 'allocated' WHEN g %% 10 = 4 THEN 'allocated'
                                      ELSE 'closed' END AS status) c""")
        _sql("UPDATE cases_case SET status = 'allocated', closed_at = NULL, closed_by_id = NULL, outcome = '', "
             "closure_requested_at = NULL, closure_requested_by_id = NULL, next_action_due = current_date + 3 "
             "WHERE status = 'closed' AND closed_at > now()")
        step("case categories", """
            INSERT INTO cases_case_categories (case_id, harmcategory_id)
            SELECT c.id, o.category_ids[1 + c.id %% array_length(o.category_ids, 1)]
            FROM cases_case c JOIN bench_org o ON o.org_id = c.organisation_id""")
        step("case people", """
            INSERT INTO cases_caseperson (person_type, full_name, date_of_birth, age, address, tenancy_reference,
              is_household_lead, case_id, organisation_id)
            SELECT p.kind, p.first || ' ' || (ARRAY['Ashdown','Brierley','Calder','Dewhurst','Ellery','Fairburn',
                   'Garside','Holroyd','Ingham','Jowett'])[1 + (c.id / 10) %% 10] || '-' || (c.id %% 5000),
                   CASE WHEN p.kind = 'child' THEN current_date - ((5 + c.id %% 12) * 365)::int
                        ELSE current_date - ((25 + c.id %% 60) * 365)::int END, NULL,
                   (c.id %% 300) || ' Bench Street', 'T' || lpad(((c.id * 7) %% 200000)::text, 6, '0'),
                   p.kind = 'adult', c.id, c.organisation_id
            FROM cases_case c,
                 LATERAL (VALUES ('adult', 'Sam'), ('child', 'Alex')) p(kind, first)
            WHERE p.kind = 'adult' OR c.id %% 2 = 0""")
        step("actions", """
            INSERT INTO cases_action (action_type, taken_on, note, next_due, recorded_at, organisation_id,
              recorded_by_id, case_id)
            SELECT (ARRAY['visit','call','meeting','note','referral'])[1 + (c.id + g) %% 5],
                   (c.reported_at + g * interval '6 days')::date, 'Spoke with the household; next steps agreed.',
                   (c.reported_at + (g + 1) * interval '6 days')::date, c.reported_at + g * interval '6 days',
                   c.organisation_id, c.allocated_to_id, c.id
            FROM cases_case c, generate_series(1, %s + (c.id %% 11)) g
            WHERE c.allocated_to_id IS NOT NULL""", [max(0, round(size.actions_per_case * 1.1) - 5)])
        step("referrals", """
            INSERT INTO referrals_referral (agency, agency_name, reason, decided_on, due_by, made_on,
              agency_reference, response_due_by, outcome, response_on, outcome_notes, without_consent,
              override_basis, override_reason, recorded_at, version, case_id, organisation_id, made_by_id,
              recorded_by_id)
            SELECT (ARRAY['adult_social_care','childrens_services','police','health','marac','other'])[1 + c.id %% 6],
                   '', 'Needs an assessment by the authority.', c.reported_at::date, c.reported_at::date + 1,
                   c.reported_at::date + (c.id %% 3)::int, '', c.reported_at::date + 21,
                   (ARRAY['awaiting','accepted','declined','no_response'])[1 + c.id %% 4],
                   CASE WHEN c.id %% 4 IN (1, 2) THEN c.reported_at::date + (c.id %% 30)::int END, '', false, '', '',
                   c.reported_at, 0, c.id, c.organisation_id, c.allocated_to_id, c.allocated_to_id
            FROM cases_case c WHERE c.allocated_to_id IS NOT NULL AND c.id %% 10 < 3""")
        step("register entries", """
            INSERT INTO registers_entry (reference, household, address, tenancy_reference, risk_level, risk,
              la_childrens_services, la_adult_social_care, cp_plan, child_in_need, marac, la_other, actions,
              escalations, status, opened_on, closed_on, closed_reason, created_at, version, case_id, created_by_id,
              department_id, organisation_id, register_id)
            SELECT 'R-' || c.id, 'Household ' || c.id, (c.id %% 300) || ' Bench Street', '',
                   (ARRAY['low','medium','high'])[1 + c.id %% 3], 'Known risk recorded from the case.',
                   c.id %% 2 = 0, c.id %% 2 = 1, c.id %% 20 = 0, c.id %% 7 = 0, c.id %% 11 = 0, '', '', '',
                   CASE WHEN c.status = 'closed' AND c.id %% 4 = 0 THEN 'closed' ELSE 'open' END,
                   c.reported_at::date,
                   CASE WHEN c.status = 'closed' AND c.id %% 4 = 0 THEN c.closed_at::date END,
                   CASE WHEN c.status = 'closed' AND c.id %% 4 = 0 THEN 'Risk removed.' ELSE '' END,
                   c.reported_at, 0, c.id, o.nso_id, c.department_id, c.organisation_id,
                   o.register_ids[array_position(o.area_ids, c.area_id)]
            FROM cases_case c JOIN bench_org o ON o.org_id = c.organisation_id
            WHERE c.concern_type = 'safeguarding' AND (c.id * 7919) %% 1000 < %s""",
             [round(size.entry_share * 1500)])
        step("register entry people", """
            INSERT INTO registers_entryperson (person_type, full_name, date_of_birth, entry_id, organisation_id, version)
            SELECT p.person_type, p.full_name, p.date_of_birth, e.id, e.organisation_id, 0
            FROM registers_entry e JOIN cases_caseperson p ON p.case_id = e.case_id""")
        step("register monthly updates", """
            INSERT INTO registers_entryupdate (month, liaised_on, with_whom, what_changed, actions, escalations,
              recorded_at, entry_id, organisation_id, recorded_by_id)
            SELECT m.month, m.month + 9, 'Reporting officer', 'No change this month.', '', '', m.month + 9,
                   e.id, e.organisation_id, e.created_by_id
            FROM registers_entry e,
                 LATERAL (SELECT (date_trunc('month', current_date) - g * interval '1 month')::date AS month
                          FROM generate_series(CASE WHEN e.id %% 5 = 0 THEN 1 ELSE 0 END, 9 + (e.id %% 3)) g) m
            WHERE m.month >= date_trunc('month', e.opened_on)""")
        _sql("""UPDATE registers_register r SET next_number = 1 + (SELECT count(*) FROM registers_entry e
                WHERE e.register_id = r.id) WHERE r.organisation_id IN (SELECT org_id FROM bench_org)""")
        step("courses", """
            INSERT INTO training_course (name, levels, is_active, organisation_id)
            SELECT c.name, c.levels, true, o.org_id FROM bench_org o,
                   (VALUES ('Safeguarding', 3), ('Domestic abuse awareness', 1), ('Prevent', 1)) c(name, levels)""")
        _sql("UPDATE bench_org o SET course_ids = (SELECT array_agg(id ORDER BY id) FROM training_course "
             "WHERE organisation_id = o.org_id)")
        step("training people", """
            INSERT INTO training_person (reference, full_name, email, kind, team, is_active, department_id,
              organisation_id, version)
            SELECT 'E' || lpad(g::text, 6, '0'), 'Colleague ' || g || ' of ' || o.org_id, '',
                   CASE WHEN g %% 25 = 0 THEN 'volunteer' ELSE 'colleague' END, 'Team ' || (g %% 40), true,
                   o.dept_ids[1 + g %% array_length(o.dept_ids, 1)], o.org_id, 0
            FROM bench_org o, generate_series(1, greatest(20, round(o.n_cases * %s)::int)) g""",
             [size.training_people_per_case])
        step("DBS checks", """
            INSERT INTO training_dbscheck (level, certificate_number, issued_on, update_service, renews_on, checked_at,
              organisation_id, person_id, error_reason, version)
            SELECT 'enhanced', lpad(p.id::text, 12, '0'), d.issued, false, d.issued + interval '3 years', now(),
                   p.organisation_id, p.id, '', 0
            FROM training_person p, LATERAL (SELECT current_date - (p.id %% 1200)::int AS issued) d
            WHERE p.id %% 5 <> 0 AND p.organisation_id IN (SELECT org_id FROM bench_org)""")
        step("training records", """
            INSERT INTO training_trainingrecord (level, provider, completed_on, expires_on, evidence, evidence_name,
              recorded_at, course_id, organisation_id, person_id, error_reason, version)
            SELECT 1, 'In house', d.done, d.done + interval '3 years', '', '', now(),
                   o.course_ids[k], p.organisation_id, p.id, '', 0
            FROM training_person p JOIN bench_org o ON o.org_id = p.organisation_id,
                 generate_series(1, 2) k, LATERAL (SELECT current_date - ((p.id * k) %% 1300)::int AS done) d
            WHERE (p.id + k) %% 7 <> 0""")
    _sql("DROP TABLE bench_org")
    t0 = time.monotonic()
    _sql("ANALYZE")
    say(f"  ANALYZE in {time.monotonic() - t0:.1f} s")  # type: ignore[operator]
    say(f"Built the {size.name} data set in {time.monotonic() - started:.0f} s")  # type: ignore[operator]
    return counts
