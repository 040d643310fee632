using System.Text;

namespace SSIS.Batch.Engine.Catalog;

/// <summary>file:// URLs as Clementine stores them (percent-encoded UTF-8, QUrl::toEncoded).</summary>
public static class FileUrl
{
    private const string Scheme = "file://";

    /// <summary>The local path of a file:// URL, or null when the URL is not a local file (http stream, cdda, ...).</summary>
    public static string? ToLocalPath(string url)
    {
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = url[Scheme.Length..];
        // file://host/path: only an empty host or localhost is local.
        if (!rest.StartsWith('/'))
        {
            var slash = rest.IndexOf('/');
            if (slash < 0 || !rest[..slash].Equals("localhost", StringComparison.OrdinalIgnoreCase)) return null;
            rest = rest[slash..];
        }
        return Uri.UnescapeDataString(rest);
    }

    /// <summary>The percent-encoded file:// URL of an absolute path (unreserved characters and '/' kept).</summary>
    public static string FromLocalPath(string absolutePath)
    {
        var builder = new StringBuilder(Scheme, absolutePath.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(absolutePath))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2"));
        }
        return builder.ToString();
    }
}
