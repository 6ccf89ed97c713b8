"""The head of sales' plan folder: the ready plans to start from (`templates`) and laying out a
new folder from one of them."""
