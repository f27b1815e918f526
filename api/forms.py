from django import forms

from api.models import ApiToken


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("name",)
        labels = {"name": "Token name"}
