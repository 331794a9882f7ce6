from django.apps import AppConfig


class WorkCalendarConfig(AppConfig):
    name = "motcua.workcalendar"
    label = "workcalendar"
    verbose_name = "Lịch làm việc"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from motcua.workcalendar import selectors
        from motcua.workcalendar.models import DayOverride, WorkingPeriod

        # The version check sees changes made by any process; this also drops this
        # process's calendars at once, even when the clock is frozen (tests) and the
        # version's timestamps could repeat.
        for model in (DayOverride, WorkingPeriod):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.drop_cache, sender=model, dispatch_uid=f"calendar-{model.__name__}"
                )
