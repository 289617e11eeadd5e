"""Guidance: how every figure, colour and rounding rule in the tracker works.

The page is written as sections of Markdown blocks, each marked for translation on its
own (a heading, a paragraph or one list item), so a translator works paragraph by
paragraph and the page is shown whole in the reader's language.
"""

import dash
from dash import dcc, html

from dashboard.i18n import N_, _

# A section is its heading and its blocks; a block is a paragraph (a string) or a list
# (a tuple of items).
Block = str | tuple[str, ...]
SECTIONS: tuple[tuple[str, tuple[Block, ...]], ...] = (
    (
        N_("How the tracker counts"),
        (
            N_(
                "Every figure is a count of half-day **sessions**: each school day has "
                "a morning (AM) and an afternoon (PM) session. Only pupils in Years 7 "
                "to 11 are counted."
            ),
            (
                N_(
                    "**Possible sessions** (the Data Check calls them *total marks*) "
                    "are the sessions a pupil was expected to attend: present, "
                    "authorised absence and unauthorised absence added together."
                ),
                N_(
                    "**Present** includes late arrival before registers closed (`L`) "
                    "and approved educational activities such as educational visits or "
                    "work experience (`B J P V W`)."
                ),
                N_(
                    "**Not counted** marks (`D Y Z #`: dual registration, enforced "
                    "closure, not yet on roll, planned closure) and **X marks** (not of "
                    "compulsory school age) are not possible sessions; they are counted "
                    "on their own."
                ),
                N_(
                    "**Missing marks** are sessions where the register was not taken. "
                    "They are not possible sessions either; the Data Check lists them "
                    "so the school can correct its register."
                ),
                N_(
                    "A pupil counts from their entry date to their leaving date, both "
                    "days included."
                ),
            ),
        ),
    ),
    (
        N_("How rates are worked out"),
        (
            (
                N_("**Attendance** is sessions present divided by possible sessions."),
                N_(
                    "**Absence** for a reason (authorised, unauthorised, illness, "
                    "medical, holiday) is the sessions missed for that reason divided "
                    "by possible sessions."
                ),
                N_(
                    "A group's figure is the total of its pupils' sessions divided by "
                    "the total of their possible sessions, never an average of pupils' "
                    "percentages."
                ),
                N_(
                    "A week or group with no possible sessions has no figure: it is "
                    "left blank, never shown as 0%."
                ),
            ),
        ),
    ),
    (
        N_("Rounding"),
        (
            N_(
                "Figures are worked out exactly and rounded once, half away from zero, "
                "when shown: 93.85% is shown as 93.9%. The Year Groups and Pupil Groups "
                "reports show whole percentages; hover over a figure to see it to one "
                "decimal place. Every other figure has one decimal place. Because each "
                "part is rounded on its own, rounded parts need not add up to exactly "
                "100: attendance of exactly 93.85% shows as 93.9%, authorised absence "
                "of 4.05% as 4.1% and unauthorised absence of 2.10% as 2.1%, which add "
                "up to 100.1%."
            ),
        ),
    ),
    (
        N_("Comparing with national"),
        (
            (
                N_(
                    "The **national** figure is built from every participating school, "
                    "yours included, for the same week. It follows the report's "
                    "grouping: the same year group, pupil group or reason. When you "
                    "narrow your school's figure by gender, eFSM or SEN/ALN on the "
                    "Attendance Summary, the national figure stays for all pupils (of "
                    "the year group), and the chart's legend says so."
                ),
                N_(
                    "The **difference** is your unrounded figure minus the unrounded "
                    "national figure, rounded for display."
                ),
                N_(
                    "The circles show how far apart the two are: none under 1 "
                    "percentage point; light from 1 to under 2; middle from 2 to under "
                    "4; dark for 4 or more. Green means better than national (higher "
                    "attendance, lower absence); red means worse. An arrow (▲ better, "
                    "▼ worse) and the figure itself say the same without colour. The "
                    "colours do not show statistical significance."
                ),
                N_(
                    "A national week is left blank when fewer than half of the year's "
                    "participating schools had pupils in school that week (for example "
                    "when most schools are on holiday). A comparison for a group is "
                    "left blank when the group has fewer than 10 pupils nationally; "
                    "authority and region comparisons need at least 3 schools, so no "
                    "school can work out a neighbour's figures."
                ),
            ),
        ),
    ),
    (
        N_("Persistent and severe absence"),
        (
            N_(
                "A pupil is **persistently absent** when their absence is 10% or more "
                "of their own possible sessions, and **severely absent** at 50% or "
                "more. Both are worked out year to date, over pupils with at least one "
                "possible session, leavers included."
            ),
        ),
    ),
    (
        N_("Pupil attendance bands"),
        (
            N_(
                "The Pupil List groups pupils by their unrounded year-to-date "
                "attendance: 100%; 95% to under 100%; over 90% to under 95%; over 50% "
                "to 90% (persistent absence); 50% and under (severe absence); and "
                "pupils with no possible sessions."
            ),
        ),
    ),
    (
        N_("Pupils at risk of persistent absence"),
        (
            N_(
                "The at-risk list (Pupil reports, for users with pupil access) names "
                "pupils on roll who are not yet persistently absent but need watching, "
                "worked out on exact session counts:"
            ),
            (
                N_(
                    "**Close**: absence from 8% to under 10% of possible sessions, year "
                    "to date."
                ),
                N_(
                    "**Falling**: attendance over the last four school weeks (the four "
                    "latest weeks in which your school had any possible session) at "
                    "least 5 percentage points below the pupil's year-to-date "
                    "attendance."
                ),
            ),
            N_(
                "For each pupil, with A sessions of absence and P possible sessions so "
                "far, and R sessions left in the school's calendar this year (up to a "
                "known leaving date):"
            ),
            (
                N_(
                    "**Sessions they can still miss** is the largest number k with "
                    "A + k under 10% of P + R: missing one more session than that would "
                    "make them persistently absent by the end of the year, if they "
                    "attend every other session."
                ),
                N_(
                    "**Projected year-end attendance** assumes the last four weeks' "
                    "attendance rate continues for the R sessions left."
                ),
                N_(
                    "**Absence spells** count runs of absence: consecutive possible "
                    "sessions missed count as one spell, whatever the reason, and a "
                    "session that was not possible (a closure, a weekend) does not "
                    "break a run."
                ),
            ),
            N_(
                "The 360 report and the Pupil List show how many pupils are at risk, "
                "with a link to the list."
            ),
        ),
    ),
    (
        N_("When figures change"),
        (
            N_(
                "Reports are released every Wednesday with data to the end of the "
                "previous school week. Changes your school makes to older marks reach "
                "the tracker when the school's data is re-extracted. The Data Check "
                "shows exactly the marks the tracker holds for your school."
            ),
        ),
    ),
)


def guidance_markdown() -> str:
    """Return the guidance as Markdown in the current language."""
    parts = []
    for heading, blocks in SECTIONS:
        parts.append(f"## {_(heading)}")
        for block in blocks:
            if isinstance(block, tuple):
                parts.append("\n".join(f"- {_(item)}" for item in block))
            else:
                parts.append(_(block))
    return "\n\n".join(parts)


def layout(**_query: str) -> html.Div:
    """Return the guidance page."""
    return html.Div(
        [
            html.H1(_("Guidance"), className="h3"),
            dcc.Markdown(guidance_markdown(), className="guidance"),
        ]
    )


dash.register_page(__name__, path="/guidance", name="Guidance", order=50, layout=layout)
