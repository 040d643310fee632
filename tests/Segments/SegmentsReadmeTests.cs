using System.Globalization;
using SSIS.Batch.Engine.Segments;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Segments;

/// <summary>The README's table of segmenter parameters is the code's declaration list: same keys, order, defaults, ranges and meanings.</summary>
public class SegmentsReadmeTests
{
    [Fact]
    public void The_segments_parameter_table_equals_the_declarations()
    {
        var readme = File.ReadAllLines(Path.Combine(Repo.Root, "README.md"));
        var header = Array.FindIndex(readme, l => l == "| key | default | range | what it does |");
        Assert.True(header >= 0, "README.md has no segments parameter table");
        var rows = readme.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var expected = SegmentOptions.Parameters.Select(p => $"| `{p.Key}` | {F(p.Default)} | {F(p.Min)}–{F(p.Max)} | {p.Doc} |").ToList();
        Assert.Equal(expected, rows);
    }
}
