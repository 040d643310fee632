using System.Globalization;
using System.Text;
using System.Xml;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Rating;

/// <summary>One playlist entry: the track and the line a player shows as its annotation.</summary>
public sealed record XspfEntry(CandidateTrack Track, string Annotation);

/// <summary>
/// XSPF 1.0 (xspf.org/spec): one &lt;track&gt; per entry with a percent-encoded file:// location, the catalog's title,
/// creator and album, an annotation (a recommendation's predicted rating), and the duration in milliseconds. Written atomically.
/// </summary>
public static class XspfPlaylist
{
    public const string FileName = "recommendations.xspf";
    public const string Namespace = "http://xspf.org/ns/0/";

    /// <summary>How many tracks the playlist at <paramref name="path"/> lists; null when there is none (or it is not XSPF).</summary>
    public static int? TrackCount(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return System.Xml.Linq.XDocument.Load(path).Descendants(System.Xml.Linq.XName.Get("track", Namespace)).Count();
        }
        catch (XmlException)
        {
            return null;
        }
    }

    public static void Write(string path, IReadOnlyList<Recommendation> recommendations, string title) =>
        Write(path, recommendations.Select(r => new XspfEntry(r.Prediction.Track,
            string.Create(CultureInfo.InvariantCulture, $"Predicted rating: {r.Prediction.PredictedRating:0.00}"))).ToList(), title);

    public static void Write(string path, IReadOnlyList<XspfEntry> entries, string title)
    {
        AtomicFile.Write(path, temp =>
        {
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
            using var xml = XmlWriter.Create(temp, settings);
            xml.WriteStartDocument();
            xml.WriteStartElement("playlist", Namespace);
            xml.WriteAttributeString("version", "1");
            xml.WriteElementString("title", Namespace, XmlText(title));
            xml.WriteElementString("creator", Namespace, "ssis");
            xml.WriteElementString("date", Namespace, DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            xml.WriteStartElement("trackList", Namespace);
            foreach (var (track, annotation) in entries)
            {
                xml.WriteStartElement("track", Namespace);
                xml.WriteElementString("location", Namespace, FileUrl.FromLocalPath(track.Path));
                if (track.Title is { Length: > 0 } t) xml.WriteElementString("title", Namespace, XmlText(t));
                if (track.Artist is { Length: > 0 } a) xml.WriteElementString("creator", Namespace, XmlText(a));
                if (track.Album is { Length: > 0 } al) xml.WriteElementString("album", Namespace, XmlText(al));
                xml.WriteElementString("annotation", Namespace, XmlText(annotation));
                if (track.DurationSeconds is { } d) xml.WriteElementString("duration", Namespace, ((long)Math.Round(d * 1000)).ToString(CultureInfo.InvariantCulture));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        });
    }

    /// <summary>
    /// The text without the characters XML 1.0 cannot hold (a tag's control bytes, a lone surrogate), which would
    /// otherwise fail the whole playlist for one odd title.
    /// </summary>
    private static string XmlText(string text)
    {
        if (text.All(XmlConvert.IsXmlChar)) return text;
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i])) kept.Append(text[i]);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) kept.Append(text, i++, 2);
        }
        return kept.ToString();
    }
}
