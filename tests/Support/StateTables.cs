using Microsoft.Data.Sqlite;

namespace SSIS.Batch.Tests.Support;

/// <summary>Reads a live run's state store from outside, read-only, as a crash or lock test watches it.</summary>
public static class StateTables
{
    /// <summary>Rows in <paramref name="table"/>; 0 while the database or the table does not exist yet.</summary>
    public static int RowCount(string database, string table)
    {
        if (!File.Exists(database)) return 0;
        try
        {
            using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {table}";
            return Convert.ToInt32(command.ExecuteScalar());
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}
