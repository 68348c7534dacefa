"""Fixed content of the demo platform: categories and seeded proposals, in French and English.

Seeds are the same in every run so that journeys can name a proposal ("Des bancs à l'ombre au
parc des Tilleuls") and tests can predict vote counts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """A proposal category: a stable slug (the `<option value>`) and its labels."""

    slug: str
    label_fr: str
    label_en: str

    def label(self, lang: str) -> str:
        """The label in the page language."""
        return self.label_en if lang == "en" else self.label_fr


CATEGORIES: tuple[Category, ...] = (
    Category("mobilite", "Mobilité", "Mobility"),
    Category("nature", "Nature en ville", "Nature in the city"),
    Category("solidarite", "Solidarité", "Solidarity"),
    Category("culture", "Culture et sport", "Culture and sport"),
    Category("cadre-de-vie", "Cadre de vie", "Living environment"),
)
CATEGORY_BY_SLUG: dict[str, Category] = {category.slug: category for category in CATEGORIES}


@dataclass(frozen=True)
class SeedProposal:
    """A proposal present from the start, translated (platform content, not user content)."""

    title_fr: str
    body_html_fr: str
    title_en: str
    body_html_en: str
    category: str
    author: str
    seed_votes: int


SEED_PROPOSALS: tuple[SeedProposal, ...] = (
    SeedProposal(
        title_fr="Des bancs à l'ombre au parc des Tilleuls",
        body_html_fr=(
            "<p>Il n'y a pas de banc à l'ombre dans le parc. "
            "Les personnes âgées ne peuvent pas se reposer l'été. "
            "Je propose dix bancs sous les arbres.</p>"
        ),
        title_en="Shaded benches in the Tilleuls park",
        body_html_en=(
            "<p>There is no bench in the shade in the park. "
            "Older people cannot rest in summer. "
            "I suggest ten benches under the trees.</p>"
        ),
        category="nature",
        author="Jeanne",
        seed_votes=12,
    ),
    SeedProposal(
        title_fr="Une piste cyclable rue Jean-Jaurès",
        body_html_fr=(
            "<p>La rue Jean-Jaurès mène au collège. "
            "Les enfants y vont à vélo au milieu des voitures. "
            "Une piste séparée rendrait le trajet plus sûr.</p>"
        ),
        title_en="A cycle lane on Jean-Jaurès street",
        body_html_en=(
            "<p>Jean-Jaurès street leads to the school. "
            "Children cycle there among the cars. "
            "A separate lane would make the trip safer.</p>"
        ),
        category="mobilite",
        author="Karim",
        seed_votes=8,
    ),
    SeedProposal(
        title_fr="Un atelier numérique à la médiathèque",
        body_html_fr=(
            "<p>Beaucoup d'habitants ont du mal avec les démarches en ligne. "
            "Un atelier gratuit, deux fois par semaine, les aiderait. "
            "Des médiateurs répondraient aux questions.</p>"
        ),
        title_en="A digital help desk at the library",
        body_html_en=(
            "<p>Many residents find online procedures hard. "
            "A free help desk, twice a week, would help them. "
            "Mediators would answer their questions.</p>"
        ),
        category="solidarite",
        author="Mireille",
        seed_votes=5,
    ),
    SeedProposal(
        title_fr="Des toilettes publiques près du marché",
        body_html_fr=(
            "<p>Le marché du samedi attire beaucoup de monde. "
            "Il n'y a pas de toilettes publiques à proximité. "
            "Des toilettes accessibles en fauteuil seraient utiles.</p>"
        ),
        title_en="Public toilets near the market",
        body_html_en=(
            "<p>The Saturday market draws many people. "
            "There are no public toilets nearby. "
            "Wheelchair-accessible toilets would be useful.</p>"
        ),
        category="cadre-de-vie",
        author="Louis",
        seed_votes=3,
    ),
)
