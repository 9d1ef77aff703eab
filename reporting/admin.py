from django import forms
from django.contrib import admin

from iro.validators import reporting_years, validate_reporting_year
from reporting.models import Benchmark, Population, Target


class YearField(forms.IntegerField):
    """A year within the service's reporting span, with messages that name the span (Django's
    own would say only "less than or equal to 32767")."""

    def __init__(self, **kwargs):
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        super().__init__(**kwargs)
        first, last = reporting_years()
        self.error_messages["invalid"] = f"Enter the year as a number, like {last - 1}"
        self.validators = [validate_reporting_year]
        self.help_text = f"{self.help_text} ({first} to {last})".strip()


class ReferenceForm(forms.ModelForm):
    """The admin form of reference data: the model's rules (known figure ids, values in the
    figure's unit, years within the reporting span) with messages naming the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "year" in self.fields:
            old = self.fields["year"]
            self.fields["year"] = YearField(
                label=old.label, help_text=old.help_text, required=old.required
            )


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = ReferenceForm
    list_display = ("figure_id", "value", "amber_margin", "note")


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    form = ReferenceForm
    list_display = ("year", "area", "children_0_17", "source")


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    form = ReferenceForm
    list_display = ("figure_id", "scope", "year", "value", "source")
    list_filter = ("scope", "year")
