"""The demo program after its end: the program's two lessons learned (flush; the demo commits once)."""
from sqlalchemy import select

from extensions import db
from training.demo_data import PROGRAM, STAFF
from training.models import User

from .demo_lessons import LESSONS
from .lessons.services import save_lesson
from .lessons.services_library import set_shared
from .models_lessons import Lesson


def load_demo_lessons(program):
    """The reference program's two lessons learned, recorded by the secretariat; the positive one shared on the
    network's public page (the later program has none yet)."""
    if program.code != PROGRAM["code"]:
        return
    author = db.session.scalar(select(User.id).where(User.email == STAFF[0][0]))
    for values in LESSONS:
        lesson = save_lesson(Lesson(), program, {key: value for key, value in values.items() if key != "shared"},
                             author)
        set_shared(lesson, values["shared"], author)
