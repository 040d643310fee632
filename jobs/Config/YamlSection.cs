using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SSIS.Batch.Jobs.Config;

/// <summary>
/// A YAML mapping read key by key with types checked, so every error names the key and its line.
/// Call <see cref="RejectUnknownKeys"/> after reading to refuse typos.
/// </summary>
public sealed class YamlSection
{
    private readonly string _file;
    private readonly string _prefix;
    private readonly YamlMappingNode _node;

    private YamlSection(string file, string prefix, YamlMappingNode node)
    {
        _file = file;
        _prefix = prefix;
        _node = node;
    }

    /// <summary>The first line (1-based) whose indentation holds a tab, or null.</summary>
    private static int? FirstTabIndentedLine(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].TakeWhile(char.IsWhiteSpace).Contains('\t')) return i + 1;
        return null;
    }

    /// <summary>Parses a YAML document whose root must be a mapping.</summary>
    public static YamlSection Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e) when (FirstTabIndentedLine(text) is { } line)
        {
            // YamlDotNet places a tab's error at the mapping it breaks, often line 1: the tab's own line says more.
            throw new ConfigException($"{file}:{line}:1: not valid YAML: line {line} is indented with a tab; YAML indents with spaces only ({e.InnerException?.Message ?? e.Message})");
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{file}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up this way on some unterminated flow collections ({ or [ never closed).
            throw new ConfigException($"{file}: not valid YAML: a '{{' or '[' is never closed.");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException($"{file}:1:1: a job config must be a YAML mapping (key: value lines).");
        return new YamlSection(file, "", root);
    }

    public bool Has(string key) => Find(key) is not null;

    /// <summary>Whether the key holds a section rather than a single value (a key that takes either form).</summary>
    public bool IsSection(string key) => Find(key) is YamlMappingNode;

    public YamlSection? Section(string key)
    {
        var node = Find(key);
        if (node is null) return null;
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" }) return null;
        if (node is not YamlMappingNode mapping) throw Error(node, key, "expected a section (nested key: value lines)");
        return new YamlSection(_file, Qualified(key) + ".", mapping);
    }

    public string? String(string key)
    {
        var node = Find(key);
        if (node is null) return null;
        if (node is not YamlScalarNode scalar) throw Error(node, key, "expected a single value");
        return scalar.Value is null or "" or "~" or "null" && scalar.Style == ScalarStyle.Plain ? null : scalar.Value;
    }

    /// <summary>The key's value; a key left empty (<c>output: ~</c>) is named at its own line, a missing one at its section's.</summary>
    public string RequiredString(string key) =>
        String(key) ?? throw (Find(key) is { } empty
            ? Error(empty, key, "expected a value, got none")
            : new ConfigException($"{_file}:{_node.Start.Line}:{_node.Start.Column}: missing required key '{Qualified(key)}'."));

    public int? Int(string key, int min, int max)
    {
        var text = String(key);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Error(Find(key)!, key, $"expected a whole number from {min} to {max}, got '{text}'");
        return value;
    }

    public double? Double(string key, double min, double max)
    {
        var text = String(key);
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
            throw Error(Find(key)!, key, $"expected a number from {min} to {max}, got '{text}'");
        return value;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null) return null;
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(Find(key)!, key, $"expected true or false, got '{text}'"),
        };
    }

    public T? Enum<T>(string key) where T : struct, System.Enum
    {
        var text = String(key);
        if (text is null) return null;
        // One of the names only: Enum.TryParse would also take a number or "a, b" (flags), which name no setting.
        if (System.Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
            return System.Enum.Parse<T>(name);
        var allowed = string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        throw Error(Find(key)!, key, $"expected one of {allowed}, got '{text}'");
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        var node = Find(key);
        if (node is null) return null;
        if (node is not YamlSequenceNode sequence) throw Error(node, key, "expected a list ([a, b] or '- a' lines)");
        return sequence.Children.Select(child => child is YamlScalarNode { Value: { } v }
            ? v
            : throw Error(child, key, "expected a list of single values")).ToList();
    }

    /// <summary>A list of sections ('- key: value' entries), each named in errors by its position.</summary>
    public IReadOnlyList<YamlSection>? SectionList(string key)
    {
        var node = Find(key);
        if (node is null) return null;
        if (node is not YamlSequenceNode sequence) throw Error(node, key, "expected a list of sections ('- key: value' entries)");
        return sequence.Children.Select((child, i) => child is YamlMappingNode mapping
            ? new YamlSection(_file, $"{Qualified(key)}[{i}].", mapping)
            : throw Error(child, key, "expected each entry to be a section (key: value lines)")).ToList();
    }

    /// <summary>Fails on the first key that nothing read: a typo or an option that does not exist.</summary>
    public void RejectUnknownKeys(IEnumerable<string> knownKeys)
    {
        var known = knownKeys.ToHashSet(StringComparer.Ordinal);
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!known.Contains(key))
                throw Error(keyNode, key, $"unknown key; expected one of: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
        }
    }

    private YamlNode? Find(string key)
    {
        foreach (var (keyNode, value) in _node.Children)
            if (keyNode is YamlScalarNode { Value: var k } && k == key) return value;
        return null;
    }

    private string Qualified(string key) => _prefix + key;

    /// <summary>An error at a node: file:line:column, the qualified key, and what was expected.</summary>
    public ConfigException Error(YamlNode node, string key, string problem) =>
        new($"{_file}:{node.Start.Line}:{node.Start.Column}: key '{Qualified(key)}': {problem}.");

    public ConfigException Error(string key, string problem) =>
        Find(key) is { } node ? Error(node, key, problem) : new ConfigException($"{_file}: key '{Qualified(key)}': {problem}.");
}
