using System.Text;
using Microsoft.Data.Sqlite;

namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// Clementine's <c>songs</c> table (schema v51), opened read-only: the database file is never written.
/// <c>filename</c> is a BLOB holding a percent-encoded file:// URL, <c>length</c> is in nanoseconds,
/// <c>rating</c> is 0..1 with -1 or NULL for unrated, and rows with <c>unavailable = 1</c> are reported, not analysed.
/// </summary>
public sealed class ClementineCatalog(string databasePath) : ITrackCatalog
{
    private static readonly string[] RequiredColumns =
        ["title", "album", "artist", "albumartist", "composer", "year", "genre", "length", "filename", "rating", "unavailable"];

    public string Description => $"clementine:{databasePath}";

    public IEnumerable<TrackRecord> ReadTracks(CancellationToken cancellationToken = default)
    {
        using var connection = OpenReadOnly();
        CheckSchema(connection);
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT ROWID, title, artist, album, albumartist, composer, year, genre, rating, length, filename, unavailable FROM songs ORDER BY ROWID";
        SqliteDataReader reader;
        try
        {
            reader = command.ExecuteReader();
        }
        catch (SqliteException e)
        {
            throw Explain(e);
        }
        using (reader)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool more;
                try
                {
                    more = reader.Read();
                }
                catch (SqliteException e)
                {
                    throw Explain(e);
                }
                if (!more) yield break;
                yield return ToRecord(reader);
            }
        }
    }

    private SqliteConnection OpenReadOnly()
    {
        if (!File.Exists(databasePath)) throw new CatalogException($"Clementine database not found: {databasePath}");
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 5,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Explain(e);
        }
    }

    private void CheckSchema(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('songs')";
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read()) present.Add(reader.GetString(0));
        }
        catch (SqliteException e)
        {
            throw Explain(e);
        }
        if (present.Count == 0)
            throw new CatalogException($"{databasePath} is not a Clementine database: it has no 'songs' table.");
        var missing = RequiredColumns.Where(c => !present.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new CatalogException($"{databasePath}: the 'songs' table lacks column(s) {string.Join(", ", missing)}; expected Clementine schema v51.");
    }

    private CatalogException Explain(SqliteException e) => e.SqliteErrorCode switch
    {
        5 or 6 => new CatalogException($"Clementine database is locked by another program (close Clementine or retry): {databasePath}", e),
        11 or 26 => new CatalogException($"Clementine database is corrupt or not an SQLite file: {databasePath} ({e.Message})", e),
        // A read-only open cannot replay a crashed writer's journal, nor make a WAL database's index in a folder it cannot write.
        8 => new CatalogException($"Clementine database {databasePath} cannot be read without writing beside it: it holds an unfinished " +
                                  "write of a program that stopped (a -journal file), or is in WAL mode in a folder this user cannot write. " +
                                  "Open and close Clementine once, or copy the database to a folder you can write and name the copy", e),
        _ => new CatalogException($"Cannot read Clementine database {databasePath}: {e.Message}", e),
    };

    private static TrackRecord ToRecord(SqliteDataReader reader)
    {
        var url = ReadUrl(reader, 10);
        var path = url is null ? null : FileUrl.ToLocalPath(url);
        return new TrackRecord(
            TrackId: reader.GetInt64(0),
            Path: path ?? url ?? "",
            Title: Text(reader, 1),
            Artist: Text(reader, 2),
            Album: Text(reader, 3),
            AlbumArtist: Text(reader, 4),
            Composer: Text(reader, 5),
            Year: reader.IsDBNull(6) || reader.GetInt64(6) <= 0 ? null : (int)reader.GetInt64(6),
            Genre: Text(reader, 7),
            Rating: Rating(reader, 8),
            CatalogDurationSeconds: reader.IsDBNull(9) || reader.GetInt64(9) <= 0 ? null : reader.GetInt64(9) / 1e9,
            Unavailable: !reader.IsDBNull(11) && reader.GetInt64(11) == 1,
            UnreadableLocation: path is null ? url ?? "(no filename)" : null);
    }

    private static string? ReadUrl(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return null;
        return reader.GetValue(ordinal) switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static string? Text(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return null;
        var text = reader.GetValue(ordinal) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : reader.GetString(ordinal);
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    private static float? Rating(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return null;
        var rating = reader.GetDouble(ordinal);
        return rating is < 0 or > 1 ? null : (float)rating;
    }
}
