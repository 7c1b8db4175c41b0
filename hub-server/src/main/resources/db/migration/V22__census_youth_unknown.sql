-- Areas whose youth the source suppressed (Statistics Canada marks small areas' counts x, .., F): loaded with
-- their boundaries and flagged, never guessed. Their youth_6_18 and youth_by_age hold zeros so that sums leave
-- them out; analyses skip them and say so.
ALTER TABLE census_area ADD COLUMN youth_unknown boolean NOT NULL DEFAULT false;
ALTER TABLE census_area ADD CONSTRAINT census_area_unknown_youth_is_zero CHECK (NOT youth_unknown OR youth_6_18 = 0);
