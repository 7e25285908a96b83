"""The Kaizen page's theme cards (``actions.kaizen_cards``)."""

from django import template

from actions import kaizen_cards

register = template.Library()


@register.simple_tag
def theme_cards(trends, drill_limit, recurring_periods):
    """``{% theme_cards trends drill_limit recurring_periods %}``: one card per theme."""
    return kaizen_cards.theme_cards(
        trends, drill_limit=drill_limit, recurring_periods=recurring_periods
    )


@register.simple_tag
def team_options(teams, selected=None):
    """``{% team_options teams team %}``: the team filter's options, ``team`` selected."""
    return kaizen_cards.team_options(teams, selected)
