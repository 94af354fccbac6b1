"""All tables, imported so that ``Base.metadata`` knows them (Alembic and the tests compare against it).

Each feature adds its tables in a module of its own and one import line here.
"""

from storage.models import broadcast as broadcast
from storage.models import core as core
from storage.models import door as door
from storage.models import engagement as engagement
from storage.models import events as events
from storage.models import finder as finder
from storage.models import moderation as moderation
from storage.models import onboarding as onboarding
from storage.models import outbox as outbox
from storage.models import quiz as quiz
from storage.models import rhythm as rhythm
from storage.models import stats as stats
from storage.models import survey as survey
from storage.models import wecom as wecom
from storage.models.base import Base as Base
from storage.models.core import Delivery as Delivery
from storage.models.core import EventLogRow as EventLogRow
from storage.models.core import Group as Group
from storage.models.core import Member as Member
from storage.models.core import PointsEntry as PointsEntry
