import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import lineproto  # noqa: E402


class ParseTest(unittest.TestCase):
    def test_a_point_with_tags_fields_and_time(self):
        point = lineproto.parse("cpu,host=web-01,region=eu load=0.5,idle=99.5 1717000000")
        self.assertEqual("cpu", point["measurement"])
        self.assertEqual({"host": "web-01", "region": "eu"}, point["tags"])
        self.assertEqual({"load": 0.5, "idle": 99.5}, point["fields"])
        self.assertEqual(1717000000, point["time"])

    def test_a_point_without_tags_or_time(self):
        point = lineproto.parse("uptime value=12")
        self.assertEqual({}, point["tags"])
        self.assertIsNone(point["time"])

    def test_integer_fields_end_in_i(self):
        point = lineproto.parse("disk,host=db-1 free=1024i,used=0.25")
        self.assertEqual({"free": 1024, "used": 0.25}, point["fields"])
        self.assertIsInstance(point["fields"]["free"], int)

    def test_split_pairs_keeps_escapes_for_the_caller(self):
        self.assertEqual([("a", "1"), ("b", "x\\,y")], lineproto.split_pairs("a=1,b=x\\,y"))

    def test_refuses_a_line_without_fields(self):
        with self.assertRaises(ValueError):
            lineproto.parse("cpu,host=web-01")


if __name__ == "__main__":
    unittest.main()
