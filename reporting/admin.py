from django.contrib import admin

from reporting.models import Benchmark, Population, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("figure_id", "value", "amber_margin", "note")


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ("year", "area", "children_0_17", "source")


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ("figure_id", "scope", "year", "value", "source")
    list_filter = ("scope", "year")
