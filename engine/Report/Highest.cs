namespace SSIS.Batch.Engine.Report;

/// <summary>
/// The <c>count</c> items of highest key among those added, kept while a table streams by (at most count + 1 held):
/// the same items, in the same order, as a stable descending sort's first <c>count</c>, so ties keep the order they came in.
/// </summary>
public sealed class Highest<T>(int count, Func<T, double> key)
{
    // A min-heap: the lowest key leaves first, and of equal keys the one added last.
    private readonly PriorityQueue<(T Item, long Order), (double Key, long NegativeOrder)> _kept = new();
    private long _added;

    public void Add(T item)
    {
        _kept.Enqueue((item, _added), (key(item), -_added));
        _added++;
        if (_kept.Count > count) _kept.Dequeue();
    }

    /// <summary>The kept items, highest key first, ties in the order they were added.</summary>
    public List<T> InOrder() =>
        _kept.UnorderedItems.OrderByDescending(e => e.Priority.Key).ThenBy(e => e.Element.Order).Select(e => e.Element.Item).ToList();
}
