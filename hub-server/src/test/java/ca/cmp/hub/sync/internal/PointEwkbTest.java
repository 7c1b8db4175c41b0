package ca.cmp.hub.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hex EWKB the sync engine writes for a site is what PostGIS itself renders for the same point. */
class PointEwkbTest {

    @Test
    void torontoCityHallAsPostGisWritesIt() {
        // SELECT encode(ST_AsEWKB(ST_SetSRID(ST_MakePoint(-79.3841, 43.6534), 4326)), 'hex') on PostGIS 3.3
        assertThat(PointEwkb.hex(-79.3841, 43.6534)).isEqualTo("0101000020e610000031992a1895d853c06b9a779ca2d34540");
    }
}
