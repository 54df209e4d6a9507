from rest_framework import serializers

from grid.models import Center, Department, Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label", "parent"]


class CenterSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Center
        fields = ["id", "code", "name", "region", "phone", "address"]


class DepartmentSerializer(serializers.ModelSerializer):
    center = serializers.CharField(source="center.code", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "kind", "residency", "center", "phone"]
