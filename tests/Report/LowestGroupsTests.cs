using SSIS.Batch.Engine.Report;

namespace SSIS.Batch.Tests.Report;

/// <summary>The report's first duplicate groups, read in one pass, against grouping the whole table.</summary>
public class LowestGroupsTests
{
    [Fact]
    public void Keeps_every_row_of_the_lowest_groups_in_the_order_read_whatever_order_the_groups_come_in()
    {
        // 130 groups of 2–4 rows each, rows of a group scattered: more groups than the report shows (50).
        var rng = new Random(7);
        var rows = Enumerable.Range(1, 130).SelectMany(g => Enumerable.Range(0, rng.Next(2, 5)).Select(m => (Group: g, Member: m)))
            .OrderBy(_ => rng.Next()).ToList();

        var (groups, first) = LowestGroups.Of(rows, r => r.Group, 50);

        Assert.Equal(130, groups);
        var expected = rows.GroupBy(r => r.Group).OrderBy(g => g.Key).Take(50).ToList();
        Assert.Equal(expected.Select(g => g.Key), first.Keys);
        Assert.All(expected, g => Assert.Equal(g.ToList(), first[g.Key]));
    }

    [Fact]
    public void Fewer_groups_than_the_limit_are_all_kept()
    {
        var (groups, first) = LowestGroups.Of([3, 1, 3, 2, 1], r => r, 50);
        Assert.Equal(3, groups);
        Assert.Equal([1, 2, 3], first.Keys);
        Assert.Equal([3, 3], first[3]);
    }
}
