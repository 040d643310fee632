namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// One instance of each equal string the barriers hold (artist, album, genre, codec names: thousands of tracks share a
/// few hundred values, each read from its own file or cache row). Used by the single writer only: not thread-safe.
/// </summary>
public sealed class SharedStrings
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    public string? Of(string? value)
    {
        if (value is null) return null;
        if (_strings.TryGetValue(value, out var shared)) return shared;
        _strings.Add(value);
        return value;
    }
}
