"""Who may do what: the staff roles and, for each action a route or a page offers, the roles allowed to do it.

The one table routes declare their action against (`access.permission_required`), pages ask (`access.can`) and the
access-matrix test reads. Which objects a role reaches (a focal point: their own country's) is `access`'s scoping."""

ROLES = ("admin", "focal_point", "organizer", "facilitator")
SECRETARIAT = ("admin",)
ORGANIZERS = ("admin", "organizer")

PERMISSIONS = {
    # Programs and delegations
    "programs.view": ROLES,  # the programs a user sees, and their dashboards
    "programs.manage": SECRETARIAT,  # create and edit programs
    "delegations.manage": SECRETARIAT,  # add and edit delegations (quotas, contacts), confirm a delegation's list
    "delegations.submit": ("admin", "focal_point"),  # mark a delegation's list as sent to the secretariat
    # Participants
    "participants.view": ROLES,  # the list and its exports
    "participants.edit": ("admin", "focal_point"),  # add, edit, withdraw, reinstate, personal links, import lists
    "registrations.moderate": SECRETARIAT,  # accept or reject registrations sent online (the form or its link)
    "privacy.manage": SECRETARIAT,  # a participant's personal data: download and erasure (cannot be undone)
    "messages.send": SECRETARIAT,  # invitation texts, sending them, the outbox and its export
    # Activities, attendance and group work
    "activities.view": ROLES,  # activities, agendas and their calendar and PDF files
    "activities.plan": ORGANIZERS,  # create and edit activities and agenda items
    "attendance.mark": ROLES,  # a session's sheet, the program's matrix and its exports
    "attendance.import": ("admin", "organizer", "facilitator"),  # Zoom and course reports cover every country
    "groups.view": ROLES,  # an item's groups and their printable page
    "groups.move": ROLES,  # move people between groups (a focal point: their own people)
    "groups.plan": ORGANIZERS,  # form the groups
    "groups.facilitate": ("admin", "organizer", "facilitator"),  # a group's name, rapporteur and conclusions
    # Questionnaires, answers and the impact report
    "questionnaires.build": ORGANIZERS,  # build, open and close them, submit overdue attempts
    "responses.import": ORGANIZERS,  # import answers collected elsewhere
    "tests.follow": ROLES,  # who has answered (focal points: their own country)
    "tests.remind": ORGANIZERS,  # send reminders
    "answers.export": ("admin", "organizer", "facilitator"),  # every answer, one row per participant
    "impact.view": ROLES,  # the impact report, its charts and files
    # Lessons learned: a program's closing records, and the library of those of every program the user sees
    "lessons.record": ORGANIZERS,  # record, edit and delete a program's lessons, share them on the public page
    "lessons.view": ROLES,  # read them, search the library, download their PDF and workbook
    # Certificates
    "certificates.follow": ROLES,  # who qualifies and why not, certificates and their PDFs, the bulk download
    "certificates.issue": ORGANIZERS,  # the rules and design, issue, draw, e-mail, revoke and reissue
    # The portfolio: indicators across programs (a focal point: their own country's people), its feed's tokens
    "portfolio.view": ("admin", "focal_point"),
    # The secretariat's own
    "users.manage": SECRETARIAT,  # staff accounts and their roles
    "audit.read": SECRETARIAT,  # the audit log and its export
}


def may(role, action):
    """Whether a staff member with `role` may do `action` (an action not in the table is an error, not a no)."""
    return role in PERMISSIONS[action]
