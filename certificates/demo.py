"""The demo program's certificates: settings, signatories and emblems, issued to everyone eligible, one reissued
after a correction and one whose attendance changed after issuing (flagged for a decision)."""
from sqlalchemy import select

from extensions import db
from training.attendance.services import save_marks
from training.models import Activity, Participant

from .services import link_replacement, save_artwork, save_settings
from .services_issuing import claim, draw_and_store

ISSUER = {"es": "Conferencia Regional sobre Migración (CRM) · Organización Internacional para las Migraciones (OIM)",
          "en": "Regional Conference on Migration (RCM) · International Organization for Migration (IOM)",
          "fr": "Conférence régionale sur la migration (CRM) · Organisation internationale pour les migrations (OIM)",
          "pt": "Conferência Regional sobre Migração (CRM) · Organização Internacional para as Migrações (OIM)"}
SIGNATORIES = {
    1: ("Ana Lucía Mendoza Araya", {"es": "Secretaria Ejecutiva de la CRM", "en": "Executive Secretary, RCM",
                                    "fr": "Secrétaire exécutive de la CRM", "pt": "Secretária Executiva da CRM"}),
    2: ("Jorge Peraza Breedy", {"es": "Director Regional para Centroamérica, Norteamérica y el Caribe, OIM",
                                "en": "Regional Director for Central America, North America and the Caribbean, IOM",
                                "fr": "Directeur régional pour l'Amérique centrale, l'Amérique du Nord et les "
                                      "Caraïbes, OIM",
                                "pt": "Diretor Regional para a América Central, a América do Norte e o Caribe, "
                                      "OIM"}),
}


def load_demo_certificates(program):
    """Settings and certificates of the demo program (flushes; the demo commits once at the end)."""
    from .demo_art import emblem, signature  # Pillow and reportlab's fonts: loaded by the demo, not by the app

    save_settings(program, None, hours=20, issuer=ISSUER, place={}, language_mode="participant")
    save_artwork(program, None, {n: (name, titles, signature(n)) for n, (name, titles) in SIGNATORIES.items()},
                 {1: emblem("CRM"), 2: emblem("OIM", color=(0, 51, 160))})
    people = db.session.scalars(select(Participant).where(Participant.program_id == program.id,
                                                          Participant.status != "withdrawn")
                                .order_by(Participant.id)).all()
    issued = claim(program, people, None).created
    # A name corrected after issuing: the first certificate revoked and replaced by a new one.
    first = issued[0]
    reason = "Apellido mal escrito en la lista del país; se emitió uno nuevo."
    replacement = claim(program, [first.participant], None, replacing=first, reason=reason).created
    link_replacement(first, replacement[0], None, reason)
    draw_and_store(program, issued + replacement, release=lambda: None)
    # Attendance corrected after issuing: the certificate stands until someone decides (the screen flags it).
    session = db.session.scalar(select(Activity).where(Activity.program_id == program.id, Activity.code == "S2"))
    save_marks(session, {issued[-1].participant_id: ("absent", "Corrección del informe de Zoom", 0)}, None)
