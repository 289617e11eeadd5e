"""The schema builds on every backend and carries its reference data."""

from sqlalchemy import func, select

from data.db import init_db, session_scope
from data.schema import LocalAuthority, RegionMapping


def test_init_db_loads_the_22_authorities_and_their_regions(db_url):
    init_db(db_url)  # a second run upgrades nothing and duplicates nothing

    with session_scope(db_url) as session:
        authorities = session.scalar(select(func.count()).select_from(LocalAuthority))
        regions = session.scalars(select(RegionMapping.region).distinct()).all()

    assert authorities == 22
    assert sorted(regions) == ["central_south", "north", "south_east", "south_west_mid"]
