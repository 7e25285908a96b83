from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from ..forms import ProfileForm
from ..models import Profile


def profile(request):
    instance, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.cleaned_data["language"]:
            translation.activate(form.cleaned_data["language"])
        messages.success(request, _("Your preferences were saved."))
        return redirect("postmortems:profile")
    return render(request, "postmortems/profile.html", {"form": form})


def set_language(request):
    """Django's set_language, and the choice remembered on the user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and translation.check_for_language(language):
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    return response
