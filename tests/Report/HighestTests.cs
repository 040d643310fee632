using SSIS.Batch.Engine.Report;

namespace SSIS.Batch.Tests.Report;

/// <summary>The report's streaming top-N (the 50 most speech-like files), against the stable sort it replaces.</summary>
public class HighestTests
{
    [Fact]
    public void Keeps_what_a_stable_descending_sort_would_show_first_ties_in_their_order()
    {
        // Many ties (speech probabilities are shares of windows: every pure-speech file scores 1.00).
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 400).Select(i => (Id: i, Key: rng.Next(0, 4) / 3.0)).ToList();
        var top = new Highest<(int Id, double Key)>(50, r => r.Key);
        foreach (var row in rows) top.Add(row);
        Assert.Equal(rows.OrderByDescending(r => r.Key).Take(50), top.InOrder());
    }

    [Fact]
    public void Fewer_items_than_asked_are_all_kept_highest_first()
    {
        var top = new Highest<double>(50, v => v);
        foreach (var v in new[] { 0.2, 0.9, 0.5 }) top.Add(v);
        Assert.Equal([0.9, 0.5, 0.2], top.InOrder());
    }
}
