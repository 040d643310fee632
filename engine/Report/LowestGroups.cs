namespace SSIS.Batch.Engine.Report;

/// <summary>
/// How many groups a table's rows fall into, and every row of the <c>limit</c> lowest-numbered groups, read in one pass
/// (at most limit + 1 groups held): the report's first duplicate groups while duplicates.parquet streams by.
/// </summary>
public static class LowestGroups
{
    /// <returns>the number of distinct groups, and the lowest <paramref name="limit"/> of them with their rows in the order read</returns>
    public static (int Groups, SortedDictionary<int, List<T>> First) Of<T>(IEnumerable<T> rows, Func<T, int> group, int limit)
    {
        var groups = new HashSet<int>();
        var first = new SortedDictionary<int, List<T>>();
        foreach (var row in rows)
        {
            var id = group(row);
            groups.Add(id);
            if (first.TryGetValue(id, out var kept)) kept.Add(row);
            // A group once passed over or dropped is above every kept one from then on, so it never comes back half-read.
            else if (first.Count < limit || id < first.Keys.Last())
            {
                first[id] = [row];
                if (first.Count > limit) first.Remove(first.Keys.Last());
            }
        }
        return (groups.Count, first);
    }
}
