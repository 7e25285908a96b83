"""Each profile stores its user's names as the blame check reads them (the lint endpoint
then reads one column per user instead of normalising every name on each request); filled
here for the users that exist, and a profile made for any user who had none."""

from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def fill_person_names(apps, schema_editor):
    from postmortems.blame.people import encode_person_names

    User = apps.get_model(settings.AUTH_USER_MODEL)
    Profile = apps.get_model("postmortems", "Profile")
    db = schema_editor.connection.alias
    profiles = {p.user_id: p for p in Profile.objects.using(db).only("id", "user_id")}
    changed, missing = [], []
    rows = User.objects.using(db).values_list("pk", "username", "first_name", "last_name")
    for pk, username, first_name, last_name in rows.iterator(chunk_size=BATCH):
        names = encode_person_names(username, first_name, last_name)
        profile = profiles.get(pk)
        if profile is None:
            missing.append(Profile(user_id=pk, person_names=names))
        else:
            profile.person_names = names
            changed.append(profile)
    Profile.objects.using(db).bulk_update(changed, ["person_names"], batch_size=BATCH)
    Profile.objects.using(db).bulk_create(missing, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("postmortems", "0013_postmortem_restricted_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="person_names",
            field=models.TextField(db_default="[]", default="[]", editable=False),
        ),
        migrations.RunPython(fill_person_names, migrations.RunPython.noop, elidable=True),
    ]
